// Crafted PSF1 and PSF2 fonts for host tests: every glyph a distinct bitmap, any header field open to a test's edit.
#pragma once

#include <cstdint>
#include <vector>

#include "drivers/psf.hpp"

using Bytes = std::vector<uint8_t>;

inline void put_u32(Bytes& out, uint32_t value) {
    for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<uint8_t>(value >> shift));
}

// Each glyph gets a distinct, irregular bitmap so a wrong glyph or a shifted row cannot match by luck.
inline uint8_t pattern(uint32_t glyph, uint32_t index) {
    return static_cast<uint8_t>(glyph * 131 + index * 29 + 7);
}

struct Psf2Header {
    uint32_t version = 0, header_size = 32, flags = 0, count = 128, charsize = 14, height = 7, width = 10;
};

inline Bytes make_psf2(const Psf2Header& h, const Bytes& table = {}) {
    Bytes out = {0x72, 0xB5, 0x4A, 0x86};
    for (uint32_t v : {h.version, h.header_size, h.flags, h.count, h.charsize, h.height, h.width}) put_u32(out, v);
    out.resize(h.header_size, 0);
    for (uint32_t g = 0; g < h.count; ++g)
        for (uint32_t i = 0; i < h.charsize; ++i) out.push_back(pattern(g, i));
    out.insert(out.end(), table.begin(), table.end());
    return out;
}

inline Bytes make_psf1(uint8_t mode, uint8_t charsize, const std::vector<uint16_t>& table = {}) {
    Bytes out = {0x36, 0x04, mode, charsize};
    const uint32_t count = (mode & 1) ? 512 : 256;
    for (uint32_t g = 0; g < count; ++g)
        for (uint32_t i = 0; i < charsize; ++i) out.push_back(pattern(g, i));
    for (uint16_t v : table) out.insert(out.end(), {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8)});
    return out;
}

inline kernel::ErrorOr<kernel::drivers::Font> parse(const Bytes& bytes) {
    return kernel::drivers::parse_psf(bytes.data(), bytes.size());
}
