// A table with sleep states, but no \_S5 among them (and the name _S5_ only inside a string).
DefinitionBlock ("", "DSDT", 2, "MINK", "S5NONE", 1)
{
    Name (_S3, Package (0x04) { 0x01, 0x01, 0x00, 0x00 })
    Name (STR0, "_S5_")
}
