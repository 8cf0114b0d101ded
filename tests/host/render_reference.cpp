// Renders a string with the kernel's own font code into a PPM, the exact pixels a QEMU screendump should contain.
//
// Usage: render_reference FONT.psf TEXT OUT.ppm [WIDTH HEIGHT]
// Without WIDTH/HEIGHT the image is exactly as large as the text, which suits a sub-image search.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <vector>

#include "console/text_grid.hpp"
#include "drivers/framebuffer.hpp"
#include "drivers/psf.hpp"

using namespace kernel::drivers;
using kernel::ErrorOr;
using kernel::console::TextGrid;
using kernel::console::TextGridStorage;

namespace {

constexpr uint32_t kBytesPerPixel = 4;

[[nodiscard]] bool read_file(const char* path, std::vector<uint8_t>& out) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return false;
    }
    out.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    return true;
}

// The framebuffer is BGRX like QEMU's default GOP mode; PPM wants RGB, so each pixel is reordered on the way out.
[[nodiscard]] bool write_ppm(const char* path, const std::vector<uint8_t>& pixels, uint32_t width, uint32_t height) {
    std::FILE* file = std::fopen(path, "wb");
    if (file == nullptr) {
        return false;
    }
    std::fprintf(file, "P6\n%u %u\n255\n", width, height);
    for (size_t i = 0; i < static_cast<size_t>(width) * height; ++i) {
        const uint8_t* bgrx = &pixels[i * kBytesPerPixel];
        const uint8_t rgb[3] = {bgrx[2], bgrx[1], bgrx[0]};
        std::fwrite(rgb, 1, sizeof(rgb), file);
    }
    return std::fclose(file) == 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4 && argc != 6) {
        std::fprintf(stderr, "usage: %s FONT.psf TEXT OUT.ppm [WIDTH HEIGHT]\n", argv[0]);
        return 2;
    }
    std::vector<uint8_t> font_bytes;
    if (!read_file(argv[1], font_bytes)) {
        std::fprintf(stderr, "render_reference: cannot read %s\n", argv[1]);
        return 1;
    }
    const ErrorOr<Font> parsed = parse_psf(font_bytes.data(), font_bytes.size());
    if (parsed.is_error()) {
        std::fprintf(stderr, "render_reference: %s: %s\n", argv[1], to_string(parsed.error()));
        return 1;
    }
    const size_t length = std::strlen(argv[2]);
    const uint32_t width = argc == 6 ? static_cast<uint32_t>(std::strtoul(argv[4], nullptr, 10))
                                     : static_cast<uint32_t>(length) * parsed->width;
    const uint32_t height = argc == 6 ? static_cast<uint32_t>(std::strtoul(argv[5], nullptr, 10)) : parsed->height;

    std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * kBytesPerPixel);
    const FramebufferSpec spec{pixels.data(), width * kBytesPerPixel, width, height, 32, 16, 8, 8, 8, 0, 8};
    auto storage = std::make_unique<FramebufferTextStorage>();
    ErrorOr<FramebufferText> screen = FramebufferText::create(spec, *parsed, *storage);
    if (screen.is_error()) {
        std::fprintf(stderr, "render_reference: %s\n", to_string(screen.error()));
        return 1;
    }
    // White on black, as the kernel writes until a line in another tone.
    auto cells = std::make_unique<TextGridStorage>();
    TextGrid text(screen.value(), *cells, FramebufferText::kDefaultColours);
    text.clear();
    text.write(argv[2], length);
    if (!write_ppm(argv[3], pixels, width, height)) {
        std::fprintf(stderr, "render_reference: cannot write %s\n", argv[3]);
        return 1;
    }
    return 0;
}
