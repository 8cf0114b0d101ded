// \_S5 declared inside Scope (\), after a device with its own names, and with different a and b values.
DefinitionBlock ("", "DSDT", 2, "MINK", "S5SCOPE", 1)
{
    Scope (\_SB)
    {
        Device (PWRB)
        {
            Name (_HID, EisaId ("PNP0C0C"))
        }
    }
    Scope (\)
    {
        Name (_S5, Package () { 0x07, 0x03 })
    }
}
