// The frame allocator: one bitmap per run of usable frames, all of it in one
// block of frames the allocator takes for itself first.
#include "mm/frame_allocator.hpp"

#include "addr/direct_map.hpp"
#include "lib/panic.hpp"

namespace kernel::mm {

namespace {

constexpr uint64_t kBitsPerWord = 64;
constexpr uint64_t kAllBits = ~0ull;

constexpr uint64_t words_for(uint64_t frames) {
    return frames / kBitsPerWord + (frames % kBitsPerWord != 0 ? 1 : 0);
}

constexpr uint64_t max(uint64_t a, uint64_t b) {
    return a > b ? a : b;
}

constexpr uint64_t min(uint64_t a, uint64_t b) {
    return a < b ? a : b;
}

unsigned long long ull(uint64_t value) {
    return static_cast<unsigned long long>(value);
}

}  // namespace

ErrorOr<void> FrameAllocator::init(const MemoryRegionList& map, lib::Span<const PhysicalRange> reserved,
                                   const FrameAllocatorLimits& limits) {
    KASSERT(m_runs == nullptr);
    const UsableMemory usable(map, reserved, limits.usable_end.page_number());
    return place_bookkeeping(usable, limits);
}

// Sizes the bookkeeping, finds the lowest usable frames inside the window
// that can hold it, builds it there and marks those frames in use.
ErrorOr<void> FrameAllocator::place_bookkeeping(const UsableMemory& usable, const FrameAllocatorLimits& limits) {
    size_t runs = 0;
    uint64_t words = 0;
    usable.for_each_run([&](FrameSpan span) {
        ++runs;
        words += words_for(span.count());
    });
    if (runs == 0) return Error::NoUsableMemory;

    const uint64_t bytes = runs * sizeof(Run) + words * sizeof(uint64_t);
    const uint64_t needed = bytes / kPageSize + (bytes % kPageSize != 0 ? 1 : 0);
    const uint64_t window_first = frames_inside(limits.bookkeeping_begin.value(), 1).first;
    const uint64_t window_end = limits.bookkeeping_end.page_number();
    lib::Optional<uint64_t> place;
    usable.for_each_run([&](FrameSpan span) {
        const uint64_t start = max(span.first, window_first);
        const uint64_t limit = min(span.end, window_end);
        if (!place && start < limit && limit - start >= needed) place = start;
    });
    if (!place) return Error::NoRoomForBookkeeping;

    m_bookkeeping = {PhysicalAddress::from_page_number(*place), needed * kPageSize};
    m_runs = to_pointer<Run>(m_bookkeeping.base);
    m_run_count = runs;
    build_runs(usable);

    Run* home = find_run(*place);
    KASSERT(home != nullptr);
    for (uint64_t frame = *place; frame < *place + needed; ++frame) {
        const uint64_t index = frame - home->first_frame;
        home->bitmap[index / kBitsPerWord] |= 1ull << (index % kBitsPerWord);
    }
    home->free_count -= needed;
    m_total_frames -= needed;
    m_free_frames = m_total_frames;
    return {};
}

// The run table first, then every run's bitmap, all frames free; bits past a
// run's end are set so no search ever finds them.
void FrameAllocator::build_runs(const UsableMemory& usable) {
    uint64_t* bitmap = reinterpret_cast<uint64_t*>(m_runs + m_run_count);
    size_t index = 0;
    usable.for_each_run([&](FrameSpan span) {
        KASSERT(index < m_run_count);
        const uint64_t words = words_for(span.count());
        m_runs[index++] = Run{span.first, span.count(), span.count(), 0, bitmap};
        for (uint64_t word = 0; word < words; ++word) bitmap[word] = 0;
        if (span.count() % kBitsPerWord != 0) bitmap[words - 1] = kAllBits << (span.count() % kBitsPerWord);
        bitmap += words;
        m_total_frames += span.count();
    });
    KASSERT(index == m_run_count);
}

FrameAllocator::Run* FrameAllocator::find_run(uint64_t frame) const {
    size_t low = 0;
    size_t high = m_run_count;
    while (low < high) {
        const size_t middle = low + (high - low) / 2;
        Run& run = m_runs[middle];
        if (frame < run.first_frame)
            high = middle;
        else if (frame - run.first_frame >= run.frame_count)
            low = middle + 1;
        else
            return &run;
    }
    return nullptr;
}

lib::Optional<uint64_t> FrameAllocator::take_from(Run& run) {
    const uint64_t words = words_for(run.frame_count);
    for (uint64_t step = 0; step < words; ++step) {
        const uint64_t word = (run.search_word + step) % words;
        if (run.bitmap[word] == kAllBits) continue;
        const unsigned bit = static_cast<unsigned>(__builtin_ctzll(~run.bitmap[word]));
        run.bitmap[word] |= 1ull << bit;
        run.search_word = word;
        --run.free_count;
        return run.first_frame + word * kBitsPerWord + bit;
    }
    return lib::kNone;
}

lib::Optional<PhysicalAddress> FrameAllocator::allocate() {
    if (m_free_frames == 0) return lib::kNone;
    for (size_t step = 0; step < m_run_count; ++step) {
        const size_t index = (m_current_run + step) % m_run_count;
        Run& run = m_runs[index];
        if (run.free_count == 0) continue;
        const lib::Optional<uint64_t> frame = take_from(run);
        if (!frame)
            panic(
                "frame allocator: run at %#llx counts %llu free frames but its bitmap has none (bookkeeping corrupted)",
                ull(run.first_frame * kPageSize), ull(run.free_count));
        m_current_run = index;
        --m_free_frames;
        return PhysicalAddress::from_page_number(*frame);
    }
    panic("frame allocator: counts %llu free frames but no run has any (bookkeeping corrupted)", ull(m_free_frames));
}

void FrameAllocator::free(PhysicalAddress frame) {
    if (!frame.is_page_aligned())
        panic("frame allocator: free of %#llx, which is not 4 KiB-aligned", ull(frame.value()));
    const uint64_t number = frame.page_number();
    if (frames_touching(m_bookkeeping.base.value(), m_bookkeeping.size).contains(number))
        panic("frame allocator: free of %#llx, which holds the allocator's own bookkeeping", ull(frame.value()));
    Run* run = find_run(number);
    if (run == nullptr) panic("frame allocator: free of %#llx, a frame it never managed", ull(frame.value()));
    const uint64_t index = number - run->first_frame;
    uint64_t& word = run->bitmap[index / kBitsPerWord];
    const uint64_t bit = 1ull << (index % kBitsPerWord);
    if ((word & bit) == 0) panic("frame allocator: double free of frame %#llx", ull(frame.value()));
    word &= ~bit;
    ++run->free_count;
    ++m_free_frames;
    // Freed frames near the start are found again first.
    if (index / kBitsPerWord < run->search_word) run->search_word = index / kBitsPerWord;
}

PhysicalRange FrameAllocator::run(size_t index) const {
    KASSERT(index < m_run_count);
    return {PhysicalAddress::from_page_number(m_runs[index].first_frame), m_runs[index].frame_count * kPageSize};
}

bool FrameAllocator::is_allocated(PhysicalAddress frame) const {
    const Run* run = find_run(frame.page_number());
    if (run == nullptr) return false;
    const uint64_t index = frame.page_number() - run->first_frame;
    return (run->bitmap[index / kBitsPerWord] & (1ull << (index % kBitsPerWord))) != 0;
}

}  // namespace kernel::mm
