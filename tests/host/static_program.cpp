// A real static executable for the ELF parser's host test: whatever the host's linker makes of the smallest program.
int main() {
    return 0;
}
