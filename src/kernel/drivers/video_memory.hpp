// Write-only access to a screen's memory: the screen drivers' one way to it, with stores and no loads, because real
// GPUs serve reads of video memory uncached and very slowly (whole seconds per scroll), so text must live in RAM.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/mmio.hpp"

namespace kernel::drivers {

class VideoMemory {
public:
    constexpr VideoMemory() = default;
    // `size` bytes from `base` belong to the screen; a null base gives an empty view that drops every store.
    VideoMemory(void* base, size_t size) : m_base(static_cast<uint8_t*>(base)), m_size(base == nullptr ? 0 : size) {}

    [[nodiscard]] constexpr size_t size() const { return m_size; }

    // Copies `count` bytes of RAM to `offset` with the widest naturally aligned stores (one store for an aligned
    // VGA cell, 8 bytes at a time along a pixel row). A range outside the screen is a driver bug: it is dropped
    // whole rather than written past the end, so a panic report can still be drawn.
    void store(size_t offset, const void* bytes, size_t count) const {
        if (offset > m_size || count > m_size - offset) return;
        uint8_t* to = m_base + offset;
        const auto* from = static_cast<const uint8_t*>(bytes);
        while (count > 0 && reinterpret_cast<uintptr_t>(to) % sizeof(uint64_t) != 0) store_widest(to, from, count);
        for (; count >= sizeof(uint64_t); to += 8, from += 8, count -= 8) store_as<uint64_t>(to, from);
        while (count > 0) store_widest(to, from, count);
    }

private:
    template <typename T>
    static void store_as(uint8_t* to, const uint8_t* from) {
        T value;
        __builtin_memcpy(&value, from, sizeof value);  // RAM may be unaligned; the store below never is.
        lib::mmio_write(reinterpret_cast<T*>(to), value);
    }

    // One store, as wide as both the alignment of `to` and the bytes left allow, then moves past it.
    static void store_widest(uint8_t*& to, const uint8_t*& from, size_t& count) {
        const auto address = reinterpret_cast<uintptr_t>(to);
        size_t width = 1;
        if (count >= 4 && address % 4 == 0) {
            width = 4;
            store_as<uint32_t>(to, from);
        } else if (count >= 2 && address % 2 == 0) {
            width = 2;
            store_as<uint16_t>(to, from);
        } else {
            store_as<uint8_t>(to, from);
        }
        to += width, from += width, count -= width;
    }

    uint8_t* m_base = nullptr;
    size_t m_size = 0;
};

}  // namespace kernel::drivers
