// \_S5 written with the Zero and One opcodes, which iasl emits for the constants 0 and 1.
DefinitionBlock ("", "DSDT", 2, "MINK", "S5ZERO", 1)
{
    Name (_S5, Package (0x04) { Zero, One, Zero, Zero })
}
