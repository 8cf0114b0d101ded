// Port I/O: the only place the kernel talks to legacy devices through IN/OUT.
#pragma once

#include <stdint.h>

namespace kernel::arch {

inline void out8(uint16_t port, uint8_t value) {
    asm volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}
inline void out16(uint16_t port, uint16_t value) {
    asm volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}
inline void out32(uint16_t port, uint32_t value) {
    asm volatile("outl %0, %1" : : "a"(value), "Nd"(port));
}

inline uint8_t in8(uint16_t port) {
    uint8_t value;
    asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}
inline uint16_t in16(uint16_t port) {
    uint16_t value;
    asm volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}
inline uint32_t in32(uint16_t port) {
    uint32_t value;
    asm volatile("inl %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

// Interrupts off and halt for good: nothing can wake the CPU again.
[[noreturn]] inline void halt_forever() {
    for (;;) asm volatile("cli; hlt");
}

// Sleep until the next interrupt; used by the idle loop.
inline void wait_for_interrupt() {
    asm volatile("hlt");
}

}  // namespace kernel::arch
