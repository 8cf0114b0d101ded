// Shared by the memory-management host tests and the fuzzer: host memory that
// stands in for a window of physical RAM, a memory map held in a vector, an
// independent reference for which frames are usable, and expectations on
// ErrorOr<void> results. No GoogleTest here.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <ostream>
#include <vector>

#include "addr/direct_map.hpp"
#include "lib/error.hpp"
#include "mm/usable_memory.hpp"

namespace kernel {

// EXPECT_EQ(mapper.map(...), mm_test::kOk) and EXPECT_EQ(..., Error::MapNullPage)
// read as the old error enums did; a failure prints the error's words.
inline bool operator==(const ErrorOr<void>& result, std::optional<Error> expected) {
    return result.is_error() ? expected == result.error() : !expected.has_value();
}
inline bool operator==(const ErrorOr<void>& result, Error expected) {
    return result == std::optional<Error>(expected);
}
inline void PrintTo(Error error, std::ostream* out) {
    *out << to_string(error);
}
inline void PrintTo(const ErrorOr<void>& result, std::ostream* out) {
    *out << (result.is_error() ? to_string(result.error()) : "success");
}

}  // namespace kernel

namespace mm_test {

// Success, for comparing with an ErrorOr<void>.
inline const std::optional<kernel::Error> kOk;

using kernel::mm::FirmwareRegion;
using kernel::mm::FrameSpan;
using kernel::mm::kPageSize;
using kernel::mm::PhysicalAddress;
using kernel::mm::PhysicalRange;

// Host memory that the direct map shows as physical [base, base + size).
class FakeRam {
public:
    FakeRam(uint64_t base, uint64_t size)
        : m_base(base), m_size(size), m_memory(static_cast<uint8_t*>(std::aligned_alloc(kPageSize, size))) {
        // Garbage, as real RAM holds (the start is enough to catch missed initialisation).
        std::memset(m_memory, 0xA5, std::min<uint64_t>(size, 16ull << 20));
        kernel::mm::set_direct_map_base(kernel::mm::VirtualAddress(reinterpret_cast<uintptr_t>(m_memory) - base));
    }
    ~FakeRam() {
        std::free(m_memory);
        kernel::mm::set_direct_map_base(kernel::mm::layout::kDirectMapBase);
    }
    FakeRam(const FakeRam&) = delete;
    FakeRam& operator=(const FakeRam&) = delete;

    uint64_t base() const { return m_base; }
    uint64_t size() const { return m_size; }
    uint64_t end() const { return m_base + m_size; }
    bool contains(uint64_t address, uint64_t length) const {
        return address >= m_base && length <= m_size && address - m_base <= m_size - length;
    }
    uint8_t* host(uint64_t physical) const { return m_memory + (physical - m_base); }

private:
    uint64_t m_base;
    uint64_t m_size;
    uint8_t* m_memory;
};

class VectorRegions final : public kernel::mm::MemoryRegionList {
public:
    VectorRegions() = default;
    explicit VectorRegions(std::vector<FirmwareRegion> regions) : m_regions(std::move(regions)) {}
    size_t count() const override { return m_regions.size(); }
    FirmwareRegion region(size_t index) const override { return m_regions.at(index); }
    std::vector<FirmwareRegion>& regions() { return m_regions; }

private:
    std::vector<FirmwareRegion> m_regions;
};

// The usable runs by a different method from the kernel's: 128-bit byte
// arithmetic, every boundary sorted once, each segment judged once.
inline std::vector<FrameSpan> reference_runs(const std::vector<FirmwareRegion>& map,
                                             const std::vector<PhysicalRange>& reserved, uint64_t end_frame) {
    __extension__ using Wide = unsigned __int128;  // __extension__: -Wpedantic under g++
    end_frame = std::min<uint64_t>(end_frame, 1ull << 52);
    struct Span {
        uint64_t first, end;
        bool available;
    };
    std::vector<Span> spans;
    auto add = [&](uint64_t base, uint64_t length, bool available) {
        if (length == 0) return;
        const Wide end = std::min<Wide>(Wide(base) + length, Wide(1) << 64);
        const uint64_t first = available ? uint64_t((Wide(base) + kPageSize - 1) / kPageSize) : base / kPageSize;
        const uint64_t last = available ? uint64_t(end / kPageSize) : uint64_t((end + kPageSize - 1) / kPageSize);
        if (first < last) spans.push_back({first, last, available});
    };
    for (const FirmwareRegion& region : map) add(region.base, region.length, region.available);
    for (const PhysicalRange& range : reserved) add(range.base.value(), range.size, false);

    std::vector<uint64_t> points{kernel::mm::kLowMemoryEndFrame, end_frame};
    for (const Span& span : spans) points.insert(points.end(), {span.first, span.end});
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());

    std::vector<FrameSpan> runs;
    for (size_t i = 0; i + 1 < points.size(); ++i) {
        const uint64_t a = points[i], b = points[i + 1];
        if (a < kernel::mm::kLowMemoryEndFrame || b > end_frame) continue;
        bool available = false, reserved_here = false;
        for (const Span& span : spans) {
            if (span.first <= a && a < span.end) (span.available ? available : reserved_here) = true;
        }
        if (!available || reserved_here) continue;
        if (!runs.empty() && runs.back().end == a) {
            runs.back().end = b;
        } else {
            runs.push_back({a, b});
        }
    }
    return runs;
}

inline uint64_t count_frames(const std::vector<FrameSpan>& runs) {
    uint64_t total = 0;
    for (const FrameSpan& run : runs) total += run.count();
    return total;
}

}  // namespace mm_test
