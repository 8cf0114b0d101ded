// Host tests for the kernel heap: it lives in a host buffer that ASan keeps
// poisoned beyond what the grow callback has "mapped", so any touch past the
// heap's end is caught; random operations are checked against a model.
#include "mm/heap.hpp"

#include <gtest/gtest.h>
#include <sanitizer/asan_interface.h>

#include <cstdlib>
#include <cstring>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

using kernel::mm::Heap;
using kernel::mm::VirtualAddress;

namespace {

constexpr uint64_t kPage = 4096;

// Host memory standing in for the heap's virtual range; grow() "maps" pages.
class Arena {
public:
    explicit Arena(uint64_t size, uint64_t limit = UINT64_MAX)
        : m_size(size), m_limit(limit), m_memory(static_cast<uint8_t*>(std::aligned_alloc(kPage, size))) {
        ASAN_POISON_MEMORY_REGION(m_memory, m_size);
        m_heap.init(VirtualAddress(reinterpret_cast<uintptr_t>(m_memory)), size, grow, this);
    }
    ~Arena() {
        ASAN_UNPOISON_MEMORY_REGION(m_memory, m_size);
        std::free(m_memory);
    }
    Heap& heap() { return m_heap; }
    uint64_t mapped() const { return m_mapped; }
    int grow_calls() const { return m_grow_calls; }
    void set_limit(uint64_t limit) { m_limit = limit; }
    uint8_t* base() const { return m_memory; }

private:
    static bool grow(void* context, VirtualAddress end, uint64_t bytes) {
        auto* arena = static_cast<Arena*>(context);
        EXPECT_EQ(end.value(), reinterpret_cast<uintptr_t>(arena->m_memory) + arena->m_mapped);
        EXPECT_EQ(bytes % kPage, 0u);
        if (arena->m_mapped + bytes > arena->m_limit) return false;
        ++arena->m_grow_calls;
        ASAN_UNPOISON_MEMORY_REGION(arena->m_memory + arena->m_mapped, bytes);
        arena->m_mapped += bytes;
        return true;
    }

    uint64_t m_size;
    uint64_t m_limit;
    uint8_t* m_memory;
    uint64_t m_mapped = 0;
    int m_grow_calls = 0;
    Heap m_heap;
};

// Runs `action`, which must panic with a message containing `reason`.
template <typename Action>
void expect_panic(Action action, const std::string& reason) {
    try {
        action();
        ADD_FAILURE() << "no panic; expected one about: " << reason;
    } catch (const std::runtime_error& error) {
        EXPECT_NE(std::string(error.what()).find(reason), std::string::npos) << error.what();
    }
}

}  // namespace

TEST(Heap, AllocationsAreAlignedDistinctAndGrowTheHeapInPages) {
    Arena arena(16 << 20);
    Heap& heap = arena.heap();
    EXPECT_EQ(heap.stats().bytes_mapped, 0u);
    void* a = heap.allocate(24);
    void* b = heap.allocate(0);
    void* c = heap.allocate(0);
    ASSERT_TRUE(a && b && c);
    EXPECT_NE(b, c);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 16, 0u);
    EXPECT_EQ(arena.grow_calls(), 1);
    EXPECT_EQ(heap.stats().bytes_mapped, arena.mapped());
    EXPECT_EQ(arena.mapped() % kPage, 0u);
    EXPECT_EQ(heap.stats().allocations, 3u);
    EXPECT_EQ(heap.stats().bytes_requested, 24u);
    for (size_t alignment = 1; alignment <= Heap::kMaxAlignment; alignment *= 2) {
        void* p = heap.allocate(alignment * 3 + 1, alignment);
        ASSERT_NE(p, nullptr);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % alignment, 0u);
        std::memset(p, 0x5A, alignment * 3 + 1);
    }
    heap.check();
}

TEST(Heap, FreedMemoryIsReusedAndNeighboursMerge) {
    Arena arena(16 << 20);
    Heap& heap = arena.heap();
    void* a = heap.allocate(100);
    heap.free(a);
    EXPECT_EQ(heap.allocate(100), a);
    void* b = heap.allocate(1000);
    void* c = heap.allocate(1000);
    void* d = heap.allocate(1000);
    heap.free(b);
    heap.free(d);
    heap.free(c);  // merges with both neighbours
    heap.check();
    const uint64_t mapped = heap.stats().bytes_mapped;
    void* big = heap.allocate(3000);
    EXPECT_EQ(big, b);
    EXPECT_EQ(heap.stats().bytes_mapped, mapped);
    heap.free(big);
    heap.free(a);
    EXPECT_EQ(heap.stats().bytes_in_use, 0u);
    EXPECT_EQ(heap.stats().free_blocks, 1u);  // everything merged back into one block
    heap.check();
}

TEST(Heap, LargeAllocationsGrowItAndFailCleanlyAtTheLimit) {
    Arena arena(64 << 20, 1 << 20);
    Heap& heap = arena.heap();
    void* small = heap.allocate(64);
    void* big = heap.allocate(900 << 10);
    ASSERT_NE(big, nullptr);
    std::memset(big, 1, 900 << 10);
    EXPECT_EQ(heap.allocate(200 << 10), nullptr);  // the grow callback refuses
    EXPECT_EQ(heap.allocate(SIZE_MAX), nullptr);
    EXPECT_EQ(heap.allocate(SIZE_MAX - 8, 64), nullptr);
    heap.free(big);
    arena.set_limit(64 << 20);
    EXPECT_NE(heap.allocate(200 << 10), nullptr);  // fits in what big left
    heap.free(small);
    heap.check();
}

TEST(Heap, ADoubleFreePanicsAndSaysSo) {
    Arena arena(1 << 20);
    Heap& heap = arena.heap();
    void* a = heap.allocate(40);
    (void)heap.allocate(40);
    heap.free(a);
    expect_panic([&] { heap.free(a); }, "double free of");
}

TEST(Heap, APointerItNeverHandedOutPanicsAndSaysSo) {
    Arena arena(1 << 20);
    Heap& heap = arena.heap();
    auto* a = static_cast<uint8_t*>(heap.allocate(256));
    int on_stack = 0;
    expect_panic([&] { heap.free(a + 64); }, "a pointer it never handed out");
    expect_panic([&] { heap.free(a + 8); }, "a pointer it never handed out");
    expect_panic([&] { heap.free(&on_stack); }, "a pointer it never handed out");
    expect_panic([&] { heap.free(arena.base() + (8 << 20)); }, "a pointer it never handed out");
}

TEST(Heap, ACorruptedHeaderPanicsAndSaysSo) {
    Arena arena(1 << 20);
    Heap& heap = arena.heap();
    auto* a = static_cast<uint8_t*>(heap.allocate(64));
    auto* b = static_cast<uint8_t*>(heap.allocate(64));
    (void)heap.allocate(64);
    std::memset(a, 0, 64 + 8);  // overruns into b's header
    expect_panic([&] { heap.free(b); }, "its block header is corrupted");
    expect_panic([&] { heap.check(); }, "corrupted block header at");
}

TEST(Heap, AnOverrunIntoAFreeNeighbourIsCaughtWhenMerging) {
    Arena arena(1 << 20);
    Heap& heap = arena.heap();
    auto* a = static_cast<uint8_t*>(heap.allocate(64));
    auto* b = static_cast<uint8_t*>(heap.allocate(64));
    (void)heap.allocate(64);
    heap.free(b);
    std::memset(a, 0xFF, 64 + 16);
    expect_panic([&] { heap.free(a); }, "corrupted block header at");
}

TEST(Heap, ASizedFreeWithTheWrongSizePanics) {
    Arena arena(1 << 20);
    Heap& heap = arena.heap();
    void* a = heap.allocate(48);
    expect_panic([&] { heap.free(a, 47); }, "sized free of");
    heap.free(a, 48);
    EXPECT_EQ(heap.stats().allocations, 0u);
}

TEST(Heap, BadAlignmentsPanic) {
    Arena arena(1 << 20);
    Heap& heap = arena.heap();
    expect_panic([&] { (void)heap.allocate(8, 24); }, "not a power of two");
    expect_panic([&] { (void)heap.allocate(8, 8192); }, "above the heap's limit of 4096");
}

TEST(Heap, RandomOperationsMatchAModel) {
    struct Live {
        size_t size;
        size_t alignment;
        uint8_t fill;
    };
    for (unsigned seed = 1; seed <= 4; ++seed) {
        Arena arena(64 << 20);
        Heap& heap = arena.heap();
        std::mt19937_64 random(seed);
        std::map<uint8_t*, Live> live;
        uint64_t requested = 0;
        for (int step = 0; step < 6000; ++step) {
            if (live.empty() || random() % 100 < 55) {
                const size_t size = random() % 8 == 0 ? random() % 40000 : random() % 300;
                const size_t alignment = size_t{1} << (random() % 13);
                auto* p = static_cast<uint8_t*>(heap.allocate(size, alignment));
                ASSERT_NE(p, nullptr);
                ASSERT_EQ(reinterpret_cast<uintptr_t>(p) % alignment, 0u);
                // No overlap with the neighbours in address order.
                auto next = live.lower_bound(p);
                if (next != live.end()) {
                    ASSERT_LE(p + size, next->first);
                }
                if (next != live.begin()) {
                    ASSERT_LE(std::prev(next)->first + std::prev(next)->second.size, p);
                }
                const uint8_t fill = static_cast<uint8_t>(random());
                std::memset(p, fill, size);
                live[p] = {size, alignment, fill};
                requested += size;
            } else {
                auto victim = live.begin();
                std::advance(victim, random() % live.size());
                for (size_t i = 0; i < victim->second.size; ++i)
                    ASSERT_EQ(victim->first[i], victim->second.fill) << "contents changed at byte " << i;
                if (random() % 2 == 0) {
                    heap.free(victim->first, victim->second.size);
                } else {
                    heap.free(victim->first);
                }
                requested -= victim->second.size;
                live.erase(victim);
            }
            if (step % 50 == 0) heap.check();
            ASSERT_EQ(heap.stats().allocations, live.size());
            ASSERT_EQ(heap.stats().bytes_requested, requested);
        }
        const uint64_t mapped = heap.stats().bytes_mapped;
        for (auto& [pointer, entry] : live) heap.free(pointer);
        heap.check();
        EXPECT_EQ(heap.stats().bytes_in_use, 0u);
        EXPECT_EQ(heap.stats().free_blocks, 1u);
        // Everything freed is reused: the same load again needs no new pages.
        void* again = heap.allocate(mapped / 2);
        EXPECT_NE(again, nullptr);
        EXPECT_EQ(heap.stats().bytes_mapped, mapped);
    }
}
