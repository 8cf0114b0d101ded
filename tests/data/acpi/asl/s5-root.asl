// \_S5 at the root, as QEMU and most firmware write it: SLP_TYPa 5 and SLP_TYPb 5 as BytePrefix constants.
DefinitionBlock ("", "DSDT", 2, "MINK", "S5ROOT", 1)
{
    Name (\_S5, Package (0x04) { 0x05, 0x05, 0x00, 0x00 })
}
