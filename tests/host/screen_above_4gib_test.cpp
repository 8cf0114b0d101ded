// A framebuffer above 4 GiB, as real PCs with Resizable BAR place it (QEMU
// cannot): GRUB's tag from a synthetic boot information goes through the
// parser and the boot record, the mapper's device mapping (write-combining)
// and the framebuffer text driver, and "Hello World!" is drawn.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "addr/layout.hpp"
#include "arch/x86_64/mapper.hpp"
#include "console/text_grid.hpp"
#include "drivers/framebuffer.hpp"
#include "mm_test_support.hpp"
#include "multiboot/boot_record.hpp"
#include "multiboot/multiboot2.hpp"

using namespace kernel;
using mm::PhysicalAddress;
using mm::VirtualAddress;

namespace {

constexpr uint64_t kFramebuffer = 448ull << 30;  // where one real machine put it
constexpr uint32_t kWidth = 640, kHeight = 480, kPitch = kWidth * 4;

// total_size, reserved; a framebuffer tag (type 8) for 32 bpp RGB; the end tag.
std::vector<uint8_t> boot_info() {
    std::vector<uint8_t> bytes(8 + 40 + 8, 0);
    auto put32 = [&](size_t at, uint32_t v) { std::memcpy(&bytes[at], &v, 4); };
    auto put64 = [&](size_t at, uint64_t v) { std::memcpy(&bytes[at], &v, 8); };
    put32(0, uint32_t(bytes.size()));
    put32(8, 8);  // framebuffer tag
    put32(12, 38);
    put64(16, kFramebuffer);
    put32(24, kPitch);
    put32(28, kWidth);
    put32(32, kHeight);
    bytes[36] = 32;                                // bpp
    bytes[37] = 1;                                 // RGB
    const uint8_t layout[] = {16, 8, 8, 8, 0, 8};  // red, green, blue: position, size
    std::memcpy(&bytes[40], layout, sizeof layout);
    put32(48, 0);  // end tag
    put32(52, 8);
    return bytes;
}

// Page tables from fake RAM (the direct map points at host memory).
class Frames final : public mm::FrameSource {
public:
    explicit Frames(const mm_test::FakeRam& ram) : m_next(ram.base()), m_end(ram.end()) {}
    lib::Optional<PhysicalAddress> allocate() override {
        if (m_next >= m_end) return lib::kNone;
        std::memset(mm::to_pointer<uint8_t>(PhysicalAddress(m_next)), 0, arch::kPageSize);
        m_next += arch::kPageSize;
        return PhysicalAddress(m_next - arch::kPageSize);
    }
    void free(PhysicalAddress) override {}

private:
    uint64_t m_next, m_end;
};

}  // namespace

TEST(ScreenAbove4GiB, TagReachesTheMapperAndTheConsole) {
    alignas(8) std::vector<uint8_t> info_bytes = boot_info();
    const ErrorOr<multiboot::BootInfo> parsed = multiboot::parse_boot_info(info_bytes.data(), info_bytes.size());
    ASSERT_FALSE(parsed.is_error()) << to_string(parsed.error());
    const boot::BootRecord record = multiboot::to_boot_record(*parsed, {}, {});
    ASSERT_TRUE(record.has_framebuffer);
    const boot::Framebuffer& fb = record.framebuffer;
    ASSERT_EQ(fb.address, kFramebuffer);

    // The kernel maps it in a device window, write-combining.
    mm_test::FakeRam ram(64ull << 30, 1ull << 20);
    Frames frames(ram);
    arch::Mapper mapper(frames, {}, {true, false});
    ASSERT_EQ(mapper.init(), mm_test::kOk);
    const VirtualAddress window = mm::layout::kDeviceWindowsBase;
    const uint64_t size = uint64_t(fb.pitch) * fb.height;
    ASSERT_EQ(mapper.map(window, PhysicalAddress(fb.address), (size + 4095) & ~4095ull, arch::PageAccess::ReadWrite,
                         arch::CacheMode::WriteCombining),
              mm_test::kOk);
    const auto mapping = mapper.translate(window + 4096);
    ASSERT_TRUE(mapping.has_value());
    EXPECT_EQ(mapping->physical.value(), kFramebuffer + 4096);
    EXPECT_EQ(mapping->cache, arch::CacheMode::WriteCombining);
    EXPECT_FALSE(mapping->executable);

    // The console draws through the window; host memory stands in for it.
    std::vector<uint8_t> pixels(size, 0);
    std::ifstream font_file(MINK_FONT_PSF, std::ios::binary);
    const std::vector<uint8_t> font_bytes((std::istreambuf_iterator<char>(font_file)),
                                          std::istreambuf_iterator<char>());
    const kernel::ErrorOr<drivers::Font> font = drivers::parse_psf(font_bytes.data(), font_bytes.size());
    ASSERT_FALSE(font.is_error());
    auto storage = std::make_unique<drivers::FramebufferTextStorage>();
    const auto screen = drivers::FramebufferText::create(drivers::framebuffer_spec(fb, pixels.data()), *font, *storage);
    ASSERT_FALSE(screen.is_error()) << kernel::to_string(screen.error());
    drivers::FramebufferText shown = screen.value();
    auto cells = std::make_unique<console::TextGridStorage>();
    console::TextGrid text(shown, *cells, drivers::FramebufferText::kDefaultColours);
    text.write("Hello World!", 12);
    EXPECT_EQ(text.cell_at(0, 0).character, 'H');
    EXPECT_EQ(text.cell_at(0, 11).character, '!');
    // And it reached the pixels: the first text row is no longer all black.
    size_t lit = 0;
    for (size_t i = 0; i < size_t{kPitch} * font->height; ++i) lit += pixels[i] != 0;
    EXPECT_GT(lit, 100u);
}
