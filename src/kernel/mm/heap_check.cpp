// The heap's self-checks: a full walk for tests and for telling a corrupted
// header from a foreign pointer on the way to a panic.
#include "lib/panic.hpp"
#include "mm/heap.hpp"
#include "mm/heap_block.hpp"

namespace kernel::mm {

using namespace heap_block;

// Only on the way to a panic: walks the blocks to tell a corrupted header
// from a pointer that never was a block's.
void Heap::report_bad_pointer(const void* pointer, const char* operation) const {
    const uint64_t target = address_of(pointer);
    for (uint64_t address = m_base; address < m_end && address + kHeaderSize <= target;) {
        const Block* block = block_at(address);
        if (address + kHeaderSize == target) panic("heap: %s of %p: its block header is corrupted", operation, pointer);
        if (block->check != checksum(block) || size_of(block) < kMinBlockSize)
            panic("heap: corrupted block header at %p (found on %s of %p)", static_cast<const void*>(block), operation,
                  pointer);
        address += size_of(block);
    }
    panic("heap: %s of %p, a pointer it never handed out", operation, pointer);
}

void Heap::check() const {
    uint64_t previous_size = 0;
    uint64_t in_use = 0;
    uint64_t free_blocks = 0;
    bool previous_free = false;
    const Block* last = nullptr;
    for (uint64_t address = m_base; address < m_end;) {
        const Block* block = block_at(address);
        verify(block);
        if (size_of(block) < kMinBlockSize || size_of(block) > m_end - address || block->previous_size != previous_size)
            panic("heap: block at %p does not fit its neighbours", static_cast<const void*>(block));
        if (!is_used(block) && previous_free)
            panic("heap: free blocks at %p and below were not merged", static_cast<const void*>(block));
        in_use += is_used(block) ? size_of(block) : 0;
        free_blocks += is_used(block) ? 0 : 1;
        previous_free = !is_used(block);
        previous_size = size_of(block);
        last = block;
        address += size_of(block);
    }
    uint64_t listed = 0;
    for (const Block* block = m_free_list; block != nullptr && listed <= free_blocks; block = block->next_free) {
        verify(block);
        if (is_used(block)) panic("heap: free list corrupted at %p", static_cast<const void*>(block));
        ++listed;
    }
    if (last != m_last || in_use != m_in_use || free_blocks != m_free_blocks || listed != free_blocks)
        panic("heap: bookkeeping disagrees with the blocks (%llu bytes in use, %llu free blocks, %llu listed)",
              ull(in_use), ull(free_blocks), ull(listed));
}

}  // namespace kernel::mm
