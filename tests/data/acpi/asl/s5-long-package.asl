// \_S5 in an SSDT, after a buffer, with more than 63 bytes of elements after its two sleep types: its PkgLength
// takes two bytes.
DefinitionBlock ("", "SSDT", 2, "MINK", "S5LONG", 1)
{
    Name (BUF0, Buffer (0x50) { 0x01 })
    Name (_S5, Package ()
    {
        0x06, 0x02,
        0x12345678, 0x12345678, 0x12345678, 0x12345678, 0x12345678, 0x12345678, 0x12345678, 0x12345678,
        0x12345678, 0x12345678, 0x12345678, 0x12345678, 0x12345678, 0x12345678, 0x12345678, 0x12345678
    })
}
