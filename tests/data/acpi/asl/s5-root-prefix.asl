// \_S5 named by its full path from inside another scope, so the name keeps its root prefix: NameOp '\' _S5_.
// (At the root itself iasl drops a redundant '\'.)
DefinitionBlock ("", "DSDT", 2, "MINK", "S5PREFIX", 1)
{
    Scope (\_SB)
    {
        Name (\_S5, Package (0x04) { 0x05, 0x05, 0x00, 0x00 })
    }
}
