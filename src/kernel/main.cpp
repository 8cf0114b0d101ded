// kernel_main: where the 64-bit entry hands over. Read it as the list of
// steps the kernel takes, in the order they must happen.
#include <stdint.h>

#include "arch/x86_64/io.hpp"
#include "config.hpp"
#include "console/console.hpp"
#include "console/vga_text.hpp"

#if MINK_TEST_BUILD
#include "testing/harness.hpp"
#endif

namespace {

constexpr uintptr_t kVgaTextAddress = 0xB8000;
constexpr uint32_t kVgaColumns = 80;
constexpr uint32_t kVgaRows = 25;

}  // namespace

extern "C" [[noreturn]] void kernel_main(uint32_t magic, uintptr_t boot_info_address) {
    using namespace kernel;

    // 1. Serial first: from here on everything the kernel says is observable.
    console::init_serial();

    // 2. The screen.
    console::attach_vga_text(
        console::VgaText(reinterpret_cast<console::VgaCell*>(kVgaTextAddress), kVgaColumns, kVgaRows, kVgaColumns));

    // 3. Greet.
    console::print("Hello World!\n");
    (void)magic;
    (void)boot_info_address;

#if MINK_TEST_BUILD
    // 4. Test builds take their orders from the harness and never return.
    testing::serve_harness();
#endif

    // 5. Nothing more to do: sleep until an interrupt, forever.
    for (;;) arch::wait_for_interrupt();
}
