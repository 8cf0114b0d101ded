// One semaphore counts the bytes the keyboard and COM1 have queued between
// them: each interrupt signals it once per byte, each reader waits on it
// once per byte, so a reader sleeps exactly while there is nothing to read.
#include "drivers/typed_input.hpp"

#include "drivers/ps2_keyboard.hpp"
#include "drivers/serial_input.hpp"
#include "sched/sync.hpp"

namespace kernel::drivers {

namespace {

constinit sched::Semaphore g_bytes_queued;

}  // namespace

void byte_typed() {
    g_bytes_queued.signal();
}

TypedByte wait_for_typed_byte() {
    for (;;) {
        g_bytes_queued.wait();
        if (const auto byte = next_keyboard_byte()) return {TypedByte::From::Keyboard, *byte};
        if (const auto byte = next_serial_byte()) return {TypedByte::From::Serial, *byte};
        // Someone read the rings directly (a test): that byte is gone; wait for the next.
    }
}

}  // namespace kernel::drivers
