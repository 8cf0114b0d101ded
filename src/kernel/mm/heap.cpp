// The heap: blocks tile the mapped range end to end, each led by a header
// that records its size and its lower neighbour's (so both neighbours are
// found in O(1) for coalescing) and a checksum binding them to its address.
// Free blocks keep their free-list links where the payload would be.
#include "mm/heap.hpp"

#include "lib/panic.hpp"
#include "mm/heap_block.hpp"

namespace kernel::mm {

using namespace heap_block;

void Heap::init(VirtualAddress base, uint64_t max_size, HeapGrow grow, void* context) {
    KASSERT(m_grow == nullptr && grow != nullptr);
    KASSERT(base.is_page_aligned());
    m_base = m_end = base.value();
    m_max_size = max_size & ~(kPageSize - 1);
    m_grow = grow;
    m_grow_context = context;
}

void* Heap::allocate(size_t size, size_t alignment) {
    if (!is_power_of_two(alignment)) panic("heap: alignment %zu is not a power of two", alignment);
    if (alignment > kMaxAlignment) panic("heap: alignment %zu is above the heap's limit of 4096", alignment);
    KASSERT(m_grow != nullptr);
    if (alignment < kMinAlignment) alignment = kMinAlignment;
    if (size > m_max_size) return nullptr;
    const uint64_t payload = round_up(size != 0 ? size : 1, kGranule);
    uint64_t start = 0;
    Block* block = find_fit(payload, alignment, start);
    if (block == nullptr) {
        // Enough for the worst padding in front of the payload, too.
        if (!grow(kHeaderSize + payload + alignment + kMinBlockSize)) return nullptr;
        block = find_fit(payload, alignment, start);
        KASSERT(block != nullptr);
    }
    Block* used = carve(block, start, payload);
    used->requested = size;
    used->check = checksum(used);
    m_in_use += size_of(used);
    m_requested += size;
    ++m_allocations;
    return payload_of(used);
}

// First fit. The header sits right below the aligned payload; what is left in
// front must be nothing or big enough to stay a free block of its own.
Heap::Block* Heap::find_fit(uint64_t payload, uint64_t alignment, uint64_t& start) const {
    for (Block* block = m_free_list; block != nullptr; block = block->next_free) {
        verify(block);
        if (is_used(block)) panic("heap: free list corrupted at %p", static_cast<const void*>(block));
        const uint64_t address = address_of(block);
        uint64_t data = round_up(address + kHeaderSize, alignment);
        while (data - kHeaderSize != address && data - kHeaderSize - address < kMinBlockSize) data += alignment;
        if (data + payload <= address + size_of(block)) {
            start = data - kHeaderSize;
            return block;
        }
    }
    return nullptr;
}

// Takes [start, start + header + payload) out of a free block; the parts in
// front and behind stay free when they are big enough to be blocks.
Heap::Block* Heap::carve(Block* block, uint64_t start, uint64_t payload) {
    unlink(block);
    const uint64_t end = address_of(block) + size_of(block);
    uint64_t previous_size = block->previous_size;
    if (start != address_of(block)) {
        previous_size = start - address_of(block);
        seal(block, previous_size, false, block->previous_size);
        link(block);
    }
    Block* used = block_at(start);
    uint64_t size = end - start;
    const uint64_t wanted = kHeaderSize + payload;
    if (size - wanted >= kMinBlockSize) {
        Block* rest = block_at(start + wanted);
        seal(rest, size - wanted, false, wanted);
        link(rest);
        size = wanted;
    }
    seal(used, size, true, previous_size);
    // The block above the last piece learns its new neighbour's size.
    Block* last_piece = size == end - start ? used : block_at(start + size);
    if (Block* above = next_of(last_piece)) {
        verify(above);
        seal(above, size_of(above), is_used(above), size_of(last_piece), above->requested);
    } else {
        m_last = last_piece;
    }
    return used;
}

bool Heap::grow(uint64_t bytes) {
    const uint64_t room = m_max_size - (m_end - m_base);
    bytes = round_up(bytes, kPageSize);
    if (bytes > room) return false;
    if (bytes < kMinGrowth) bytes = room < kMinGrowth ? room : kMinGrowth;
    if (!m_grow(m_grow_context, VirtualAddress(m_end), bytes)) return false;
    Block* fresh = block_at(m_end);
    seal(fresh, bytes, false, m_last != nullptr ? size_of(m_last) : 0);
    m_end += bytes;
    m_last = fresh;
    release(fresh);
    return true;
}

void Heap::free(void* pointer) {
    if (pointer == nullptr) return;
    Block* block = block_of(pointer, "free");
    m_in_use -= size_of(block);
    m_requested -= block->requested;
    --m_allocations;
    release(block);
}

void Heap::free(void* pointer, size_t size) {
    if (pointer == nullptr) return;
    const Block* block = block_of(pointer, "sized free");
    if (block->requested != size)
        panic("heap: sized free of %p says %zu bytes, but %llu were allocated", pointer, size, ull(block->requested));
    free(pointer);
}

// The block whose payload `pointer` is, in use; else a panic naming why.
Heap::Block* Heap::block_of(void* pointer, const char* operation) const {
    const uint64_t address = address_of(pointer);
    if (address < m_base + kHeaderSize || address >= m_end || address % kGranule != 0)
        report_bad_pointer(pointer, operation);
    Block* block = block_at(address - kHeaderSize);
    if (block->check != checksum(block)) report_bad_pointer(pointer, operation);
    if (!is_used(block)) panic("heap: double free of %p", pointer);
    return block;
}

// Marks a block free, merges it with free neighbours and links the result.
void Heap::release(Block* block) {
    seal(block, size_of(block), false, block->previous_size);
    block = merge_with_next(block);
    if (block->previous_size != 0) {
        Block* below = block_at(address_of(block) - block->previous_size);
        verify(below);
        if (!is_used(below)) {
            unlink(below);
            seal(below, size_of(below) + size_of(block), false, below->previous_size);
            block = below;
        }
    }
    if (Block* above = next_of(block))
        seal(above, size_of(above), is_used(above), size_of(block), above->requested);
    else
        m_last = block;
    link(block);
}

Heap::Block* Heap::merge_with_next(Block* block) {
    Block* above = next_of(block);
    if (above == nullptr) return block;
    verify(above);
    if (is_used(above)) return block;
    unlink(above);
    seal(block, size_of(block) + size_of(above), false, block->previous_size);
    return block;
}

Heap::Block* Heap::next_of(const Block* block) const {
    const uint64_t next = address_of(block) + size_of(block);
    return next < m_end ? block_at(next) : nullptr;
}

bool Heap::holds(const Block* block) const {
    const uint64_t address = address_of(block);
    return address >= m_base && address < m_end && address % kGranule == 0;
}

void Heap::verify(const Block* block) const {
    if (!holds(block) || block->check != checksum(block))
        panic("heap: corrupted block header at %p", static_cast<const void*>(block));
}

void Heap::link(Block* block) {
    block->previous_free = nullptr;
    block->next_free = m_free_list;
    if (m_free_list != nullptr) m_free_list->previous_free = block;
    m_free_list = block;
    ++m_free_blocks;
}

void Heap::unlink(Block* block) {
    Block* before = block->previous_free;
    Block* after = block->next_free;
    if ((before != nullptr && !holds(before)) || (after != nullptr && !holds(after)))
        panic("heap: free list corrupted at %p", static_cast<const void*>(block));
    const bool linked = before != nullptr ? before->next_free == block : m_free_list == block;
    if (!linked || (after != nullptr && after->previous_free != block))
        panic("heap: free list corrupted at %p", static_cast<const void*>(block));
    if (before != nullptr)
        before->next_free = after;
    else
        m_free_list = after;
    if (after != nullptr) after->previous_free = before;
    --m_free_blocks;
}

HeapStats Heap::stats() const {
    return {m_end - m_base, m_in_use, m_requested, m_allocations, m_free_blocks};
}

}  // namespace kernel::mm
