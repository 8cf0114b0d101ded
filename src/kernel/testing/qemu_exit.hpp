// Leaving QEMU with a chosen exit status through the isa-debug-exit device.
// Test builds only: on a real PC port 0xF4 may belong to anything.
#pragma once

#include <stdint.h>

#include "arch/x86_64/io.hpp"
#include "config.hpp"

namespace kernel::testing {

enum class QemuExit : uint32_t {
    Success = QEMU_EXIT_SUCCESS,
    Failure = QEMU_EXIT_FAILURE,
    Panic = QEMU_EXIT_PANIC,
    CpuException = QEMU_EXIT_CPU_EXCEPTION,
};

// QEMU exits with (value << 1) | 1; if the device is absent we halt instead.
[[noreturn]] inline void qemu_exit(QemuExit code) {
    arch::out32(QEMU_DEBUG_EXIT_PORT, static_cast<uint32_t>(code));
    arch::halt_forever();
}

}  // namespace kernel::testing
