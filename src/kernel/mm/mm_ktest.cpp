// In-kernel tests of memory management on the real (emulated) machine: every
// frame comes and goes, the heap holds up under random use, `new` works, and
// memory above 4 GiB is reachable.
#include "addr/direct_map.hpp"
#include "addr/layout.hpp"
#include "arch/x86_64/paging.hpp"
#include "lib/log.hpp"
#include "mm/device_windows.hpp"
#include "mm/kernel_stacks.hpp"
#include "mm/memory.hpp"
#include "testing/ktest.hpp"

using namespace kernel;
using mm::PhysicalAddress;

namespace {

// xorshift64: a fixed, repeatable sequence, no floating point.
uint64_t next_random(uint64_t& state) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

struct Thing {
    uint64_t id = 42;
    char name[24] = "thing";
};

}  // namespace

// The frames are chained through their own first word (via the direct map),
// so the test needs no memory of its own. Below 1 MiB is never handed out,
// so 0 ends the chain.
KTEST(every_free_frame_is_allocated_once_and_given_back) {
    mm::FrameAllocator& frames = mm::frame_allocator();
    const uint64_t before = frames.free_frames();
    uint64_t head = 0, count = 0;
    while (const lib::Optional<PhysicalAddress> frame = frames.allocate()) {
        *mm::to_pointer<uint64_t>(*frame) = head;
        head = frame->value();
        ++count;
    }
    KEXPECT_EQ(count, before);
    KEXPECT_EQ(frames.free_frames(), 0u);
    while (head != 0) {
        const uint64_t next = *mm::to_pointer<uint64_t>(PhysicalAddress(head));
        frames.free(PhysicalAddress(head));
        head = next;
    }
    KEXPECT_EQ(frames.free_frames(), before);
    log::printf("# %llu frames (%llu MiB) allocated and freed\n", (unsigned long long)count,
                (unsigned long long)(count * mm::kPageSize >> 20));
}

KTEST(heap_survives_random_sizes_and_alignments) {
    constexpr size_t kSlots = 64;
    struct Slot {
        uint8_t* pointer;
        size_t size;
        uint8_t fill;
    } slots[kSlots] = {};
    mm::Heap& heap = mm::kernel_heap();
    uint64_t state = 0x9E3779B97F4A7C15ull;
    for (unsigned step = 0; step < 4000; ++step) {
        Slot& slot = slots[next_random(state) % kSlots];
        if (slot.pointer != nullptr) {
            for (size_t i = 0; i < slot.size; i += 61) KEXPECT_EQ(slot.pointer[i], slot.fill);
            heap.free(slot.pointer);
            slot.pointer = nullptr;
            continue;
        }
        const size_t alignment = size_t{16} << (next_random(state) % 9);  // 16 B .. 4 KiB
        slot.size = 1 + next_random(state) % 20000;
        slot.fill = static_cast<uint8_t>(step);
        slot.pointer = static_cast<uint8_t*>(heap.allocate(slot.size, alignment));
        KEXPECT(slot.pointer != nullptr && reinterpret_cast<uintptr_t>(slot.pointer) % alignment == 0);
        if (slot.pointer == nullptr) return;
        for (size_t i = 0; i < slot.size; ++i) slot.pointer[i] = slot.fill;
    }
    // The grown heap keeps W^X: its pages are mapped read-write, never executable.
    if (arch::no_execute_enabled()) KEXPECT_EQ(mm::kernel_mapper().walk().writable_executable_pages, 0u);
    for (Slot& slot : slots)
        if (slot.pointer != nullptr) heap.free(slot.pointer);
    heap.check();
}

// A growth that runs out of frames part-way must give back the ones it took:
// the heap does not count the half-mapped range as its own.
KTEST(heap_growth_that_runs_out_gives_its_frames_back) {
    mm::FrameAllocator& frames = mm::frame_allocator();
    constexpr uint64_t kLeftFree = 4;
    uint64_t head = 0;
    while (frames.free_frames() > kLeftFree) {
        const PhysicalAddress frame = *frames.allocate();
        *mm::to_pointer<uint64_t>(frame) = head;
        head = frame.value();
    }
    const mm::HeapStats before = mm::kernel_heap().stats();
    KEXPECT(mm::kernel_heap().allocate(64 * mm::layout::kMiB) == nullptr);
    KEXPECT_EQ(frames.free_frames(), kLeftFree);
    KEXPECT_EQ(mm::kernel_heap().stats().bytes_mapped, before.bytes_mapped);
    KEXPECT_EQ(mm::kernel_heap().stats().bytes_in_use, before.bytes_in_use);
    mm::kernel_heap().check();
    while (head != 0) {
        const uint64_t next = *mm::to_pointer<uint64_t>(PhysicalAddress(head));
        frames.free(PhysicalAddress(head));
        head = next;
    }
}

// What a newcomer writes in kernel_main.
KTEST(new_and_delete_work) {
    const uint64_t in_use = mm::kernel_heap().stats().bytes_in_use;
    auto* things = new Thing[1000];
    KEXPECT_EQ(things[999].id, 42u);
    things[500].id = 7;
    auto* one = new Thing;
    KEXPECT(one != nullptr && one->name[0] == 't');
    delete one;
    delete[] things;
    KEXPECT_EQ(mm::kernel_heap().stats().bytes_in_use, in_use);
}

// Needs a machine with RAM above 4 GiB (the harness boots it with 8 GiB):
// a frame there, mapped at a fresh address and written, reads back the same
// through the direct map.
KTEST_ISOLATED(memory_above_4gib_is_reachable) {
    mm::FrameAllocator& frames = mm::frame_allocator();
    const PhysicalAddress four_gib(4ull << 30);
    PhysicalAddress frame;
    for (size_t i = 0; i < frames.run_count() && frame.is_null(); ++i) {
        const mm::PhysicalRange run = frames.run(i);
        if (run.base >= four_gib && !frames.is_allocated(run.base)) frame = run.base;
    }
    KEXPECT(!frame.is_null());
    if (frame.is_null()) return;
    const auto window = mm::map_device(frame, mm::kPageSize, arch::CacheMode::WriteBack);
    KEXPECT(!window.is_error());
    if (window.is_error()) return;
    *window->as_pointer<volatile uint64_t>() = 0x4D494E4B;  // "MINK"
    KEXPECT_EQ(*mm::to_pointer<volatile uint64_t>(frame), 0x4D494E4Bu);
    mm::unmap_device(*window, mm::kPageSize);
    log::printf("# touched frame %#llx above 4 GiB\n", (unsigned long long)frame.value());
}

// A kernel stack comes with a guard page below it and goes back whole: its
// pages unmapped, its frames free again, its slot the next one handed out.
KTEST(kernel_stack_is_guarded_and_freed) {
    mm::FrameAllocator& frames = mm::frame_allocator();
    const uint64_t before = frames.free_frames();
    const ErrorOr<mm::VirtualAddress> top = mm::allocate_kernel_stack();
    KEXPECT(!top.is_error());
    if (top.is_error()) return;
    const mm::VirtualAddress bottom = *top - mm::layout::kKernelStackSize;
    KEXPECT(!mm::kernel_mapper().translate(bottom - mm::kPageSize).has_value());
    for (mm::VirtualAddress page = bottom; page < *top; page += mm::kPageSize)
        *page.as_pointer<volatile uint64_t>() = 1;
    KEXPECT(frames.free_frames() < before);
    mm::free_kernel_stack(*top);
    KEXPECT(!mm::kernel_mapper().translate(bottom).has_value());
    KEXPECT_EQ(frames.free_frames(), before);
    const ErrorOr<mm::VirtualAddress> again = mm::allocate_kernel_stack();
    KEXPECT(!again.is_error() && *again == *top);
    if (!again.is_error()) mm::free_kernel_stack(*again);
}
