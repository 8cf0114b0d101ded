/* The first program of mink's user space: plain C against musl's libc, linked static, run unmodified. */
#include <stdio.h>

int main(int argc, char** argv) {
    printf("Hello from user space!\n");
    for (int i = 1; i < argc; ++i) printf("argument %d: %s\n", i, argv[i]);
    return 0;
}
