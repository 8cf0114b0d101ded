// The kernel heap's logic, behind operator new and delete: blocks with
// checksummed headers in one growing virtual range, a free list with
// splitting and coalescing, alignments up to 4 KiB. It grows by asking its
// owner to map more pages at its end. Misuse panics and says which kind.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "addr/address.hpp"

namespace kernel::mm {

// Maps `bytes` (whole pages) of fresh memory at `end`; false when it cannot.
using HeapGrow = bool (*)(void* context, VirtualAddress end, uint64_t bytes);

struct HeapStats {
    uint64_t bytes_mapped = 0;
    uint64_t bytes_in_use = 0;     // blocks handed out, their headers and padding included
    uint64_t bytes_requested = 0;  // what callers asked for
    uint64_t allocations = 0;      // blocks handed out now
    uint64_t free_blocks = 0;
};

class Heap {
public:
    static constexpr size_t kMinAlignment = 16;
    static constexpr size_t kMaxAlignment = 4096;

    constexpr Heap() = default;
    Heap(const Heap&) = delete;
    Heap& operator=(const Heap&) = delete;

    // `base` page-aligned; nothing is mapped there yet. Once.
    void init(VirtualAddress base, uint64_t max_size, HeapGrow grow, void* context);

    // Aligned to max(alignment, 16); a power of two up to 4 KiB (else a
    // panic). Null when the heap cannot grow enough. Size 0 still gives a
    // unique pointer, as operator new must.
    [[nodiscard]] void* allocate(size_t size, size_t alignment = kMinAlignment);
    // Null is ignored. Panics on a double free, a pointer it never handed
    // out or a corrupted block header.
    void free(void* pointer);
    // Sized delete: also panics unless `size` is what was allocated.
    void free(void* pointer, size_t size);

    [[nodiscard]] HeapStats stats() const;
    // Walks every block and the free list; panics on the first inconsistency.
    void check() const;

    struct Block;

private:
    [[nodiscard]] Block* find_fit(uint64_t payload, uint64_t alignment, uint64_t& start) const;
    Block* carve(Block* block, uint64_t start, uint64_t payload);
    [[nodiscard]] bool grow(uint64_t bytes);
    [[nodiscard]] Block* block_of(void* pointer, const char* operation) const;
    [[noreturn]] void report_bad_pointer(const void* pointer, const char* operation) const;
    void release(Block* block);
    Block* merge_with_next(Block* block);
    [[nodiscard]] Block* next_of(const Block* block) const;
    void link(Block* block);
    void unlink(Block* block);
    [[nodiscard]] bool holds(const Block* block) const;
    void verify(const Block* block) const;

    uint64_t m_base = 0;
    uint64_t m_end = 0;  // end of the mapped range; blocks tile [m_base, m_end)
    uint64_t m_max_size = 0;
    HeapGrow m_grow = nullptr;
    void* m_grow_context = nullptr;
    Block* m_last = nullptr;  // the block ending at m_end
    Block* m_free_list = nullptr;
    uint64_t m_in_use = 0;
    uint64_t m_requested = 0;
    uint64_t m_allocations = 0;
    uint64_t m_free_blocks = 0;
};

}  // namespace kernel::mm
