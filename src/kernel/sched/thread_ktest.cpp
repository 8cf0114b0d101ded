// In-kernel tests of a thread's life: its status comes back through join,
// yield hands the CPU on, the thread list shows it, a thousand threads
// (joined or detached) leave no frame, heap byte or stack slot behind,
// running out of memory is an error to the caller, and a stack overflow is
// reported naming the thread.
#include "addr/direct_map.hpp"
#include "mm/memory.hpp"
#include "sched/thread.hpp"
#include "testing/ktest.hpp"
#include "testing/stack_overflow.hpp"

using namespace kernel;
using namespace kernel::sched;

namespace {

// The argument, as a number: what most test threads need.
int argument_plus_one(void* argument) {
    return static_cast<int>(reinterpret_cast<uintptr_t>(argument)) + 1;
}

void* as_argument(uintptr_t value) {
    return reinterpret_cast<void*>(value);
}

}  // namespace

KTEST(join_returns_what_the_entry_returned) {
    const ErrorOr<Thread*> thread = create_thread("ktest-return", argument_plus_one, as_argument(41));
    KEXPECT(!thread.is_error());
    if (thread.is_error()) return;
    KEXPECT_EQ(join(*thread), 42);
}

namespace {

constinit volatile bool g_returned_past_exit = false;

// A few frames deep, so exit_thread must leave from the middle of a stack.
[[gnu::noinline]] void exit_from_depth(int depth) {
    if (depth == 0) exit_thread(-7);
    exit_from_depth(depth - 1);
    g_returned_past_exit = true;
}

int exit_from_a_nested_call(void*) {
    exit_from_depth(3);
    g_returned_past_exit = true;
    return 99;
}

}  // namespace

KTEST(exit_thread_from_a_nested_call_ends_the_thread_with_its_status) {
    g_returned_past_exit = false;
    const ErrorOr<Thread*> thread = create_thread("ktest-exit", exit_from_a_nested_call, nullptr);
    KEXPECT(!thread.is_error());
    if (thread.is_error()) return;
    KEXPECT_EQ(join(*thread), -7);
    KEXPECT(!g_returned_past_exit);
}

namespace {

constexpr int kYieldThreads = 3;
constinit volatile bool g_ran[kYieldThreads] = {};

int mark_ran(void* argument) {
    g_ran[reinterpret_cast<uintptr_t>(argument)] = true;
    return 0;
}

}  // namespace

// One yield must let every Ready thread run (each sets its flag first
// thing, far within its time slice), so all the flags are set when it
// returns. A yield that came straight back, or ran only the first, leaves
// a flag clear.
KTEST(one_yield_lets_every_other_ready_thread_run) {
    Thread* threads[kYieldThreads] = {};
    for (int i = 0; i < kYieldThreads; ++i) {
        g_ran[i] = false;
        const ErrorOr<Thread*> thread = create_thread("ktest-yield", mark_ran, as_argument(i));
        KEXPECT(!thread.is_error());
        if (!thread.is_error()) threads[i] = *thread;
    }
    yield();
    for (int i = 0; i < kYieldThreads; ++i) KEXPECT(g_ran[i]);
    for (Thread* thread : threads)
        if (thread != nullptr) join(thread);
}

namespace {

constexpr size_t kListCapacity = 16;

bool same_text(const char* a, const char* b) {
    while (*a != '\0' && *a == *b) ++a, ++b;
    return *a == *b;
}

// The entry named name in what list_threads() says now, or null.
const ThreadInfo* find_listed(ThreadInfo (&list)[kListCapacity], const char* name) {
    const size_t count = list_threads(list, kListCapacity);
    KEXPECT(count <= kListCapacity);
    for (size_t i = 0; i < count && i < kListCapacity; ++i)
        if (same_text(list[i].name, name)) return &list[i];
    return nullptr;
}

}  // namespace

// What `ps` prints: the boot flow (thread 0, running the tests), idle, and
// a new thread by its name and id, Ready, then Exited until it is joined,
// then gone.
KTEST(list_threads_shows_each_thread_by_name_and_state_until_it_is_joined) {
    const ErrorOr<Thread*> thread = create_thread("ktest-listed", argument_plus_one, nullptr);
    KEXPECT(!thread.is_error());
    if (thread.is_error()) return;
    ThreadInfo list[kListCapacity];
    const ThreadInfo* boot = find_listed(list, "boot");
    KEXPECT(boot != nullptr && boot->id == 0 && boot->state == ThreadState::Running);
    const ThreadInfo* idle = find_listed(list, "idle");
    KEXPECT(idle != nullptr && idle->state != ThreadState::Running);
    const ThreadInfo* listed = find_listed(list, "ktest-listed");
    KEXPECT(listed != nullptr && listed->id == (*thread)->id && listed->state == ThreadState::Ready);
    yield();
    listed = find_listed(list, "ktest-listed");
    KEXPECT(listed != nullptr && listed->state == ThreadState::Exited);
    KEXPECT_EQ(join(*thread), 1);
    KEXPECT(find_listed(list, "ktest-listed") == nullptr);
}

namespace {

// Where the next thread's stack goes: the lowest free stack slot, the same
// again and again unless slots leak (which costs no frame).
uint64_t next_stack_top() {
    const ErrorOr<Thread*> probe = create_thread("ktest-probe", argument_plus_one, nullptr);
    KEXPECT(!probe.is_error());
    if (probe.is_error()) return 0;
    const uint64_t top = (*probe)->stack_top.value();
    join(*probe);
    return top;
}

// What the kernel owns that a thread takes and must give back.
struct Footprint {
    uint64_t free_frames;
    uint64_t heap_in_use;
    size_t threads;
    uint64_t stack_top;
};

Footprint footprint() {
    const uint64_t stack_top = next_stack_top();
    return {mm::frame_allocator().free_frames(), mm::kernel_heap().stats().bytes_in_use, thread_count(), stack_top};
}

void expect_same_footprint(const Footprint& before, const Footprint& after) {
    KEXPECT_EQ(after.free_frames, before.free_frames);
    KEXPECT_EQ(after.heap_in_use, before.heap_in_use);
    KEXPECT_EQ(after.threads, before.threads);
    KEXPECT_EQ(after.stack_top, before.stack_top);
}

// 100 stacks of 60 KiB at once (6 MiB) fit the test VM's 128 MiB with room.
constexpr unsigned kBatch = 100;
constexpr unsigned kThousand = 1000;

// Creates kBatch threads, then joins them, each returning its number plus
// one; false if one could not be made or came back wrong.
bool run_joined_batch(unsigned first) {
    Thread* threads[kBatch] = {};
    bool ok = true;
    for (unsigned i = 0; i < kBatch; ++i) {
        const ErrorOr<Thread*> thread = create_thread("ktest-many", argument_plus_one, as_argument(first + i));
        if (thread.is_error()) {
            ok = false;
            break;
        }
        threads[i] = *thread;
    }
    for (unsigned i = 0; i < kBatch && threads[i] != nullptr; ++i)
        if (join(threads[i]) != static_cast<int>(first + i) + 1) ok = false;
    return ok;
}

// The heap grows and never shrinks, and a stack slot's page table stays once
// made: the first batch may keep both, and that is not a leak. One batch
// before the count starts takes them, so what follows must give back all.
void warm_up() {
    KEXPECT(run_joined_batch(0));
}

}  // namespace

KTEST(a_thousand_joined_threads_leave_no_frame_heap_byte_or_stack_slot) {
    warm_up();
    const Footprint before = footprint();
    for (unsigned first = 0; first < kThousand; first += kBatch) KEXPECT(run_joined_batch(first));
    expect_same_footprint(before, footprint());
}

namespace {

constinit volatile unsigned g_detached_ran = 0;

int count_and_exit(void*) {
    __atomic_add_fetch(&g_detached_ran, 1, __ATOMIC_RELAXED);
    return 0;
}

}  // namespace

// Some are detached before they run, some after they have exited (the
// creator yields between): both ways must reap them.
KTEST(a_thousand_detached_threads_are_reaped_and_leave_nothing) {
    warm_up();
    g_detached_ran = 0;
    const Footprint before = footprint();
    for (unsigned first = 0; first < kThousand; first += kBatch) {
        for (unsigned i = 0; i < kBatch; ++i) {
            const ErrorOr<Thread*> thread = create_thread("ktest-detached", count_and_exit, nullptr);
            KEXPECT(!thread.is_error());
            if (thread.is_error()) return;
            if (i % 2 == 1) yield();
            detach(*thread);
        }
        // Let the batch run and be reaped before the next takes stacks: a
        // few milliseconds; a second means they never will be.
        for (int tries = 0; tries < 100 && thread_count() > before.threads; ++tries) sleep_ms(1);
        KEXPECT_EQ(thread_count(), before.threads);
        if (thread_count() != before.threads) return;
    }
    KEXPECT_EQ(g_detached_ran, kThousand);
    expect_same_footprint(before, footprint());
}

namespace {

// Takes frames until only `left` are free, chaining them through their own
// first word (as mm_ktest does); returns the chain's head. The frame
// allocator is shared with every thread: its users hold the memory lock.
uint64_t take_frames_leaving(uint64_t left) {
    arch::SpinLockGuard guard(mm::memory_lock());
    mm::FrameAllocator& frames = mm::frame_allocator();
    uint64_t head = 0;
    while (frames.free_frames() > left) {
        const mm::PhysicalAddress frame = *frames.allocate();
        *mm::to_pointer<uint64_t>(frame) = head;
        head = frame.value();
    }
    return head;
}

void give_frames_back(uint64_t head) {
    arch::SpinLockGuard guard(mm::memory_lock());
    while (head != 0) {
        const uint64_t next = *mm::to_pointer<uint64_t>(mm::PhysicalAddress(head));
        mm::frame_allocator().free(mm::PhysicalAddress(head));
        head = next;
    }
}

}  // namespace

// A stack needs 15 frames: with none, one, or 14 left, creating a thread
// must fail with an error, keep nothing it took (the record, part of a
// stack), and not panic.
KTEST(creating_a_thread_without_memory_is_an_error_that_keeps_nothing) {
    warm_up();
    const Footprint before = footprint();
    constexpr uint64_t kLeftFree[] = {0, 1, 14};
    for (const uint64_t left : kLeftFree) {
        const uint64_t taken = take_frames_leaving(left);
        const ErrorOr<Thread*> thread = create_thread("ktest-no-memory", argument_plus_one, nullptr);
        KEXPECT(thread.is_error());
        KEXPECT_EQ(mm::frame_allocator().free_frames(), left);
        give_frames_back(taken);
        if (!thread.is_error()) join(*thread);
    }
    expect_same_footprint(before, footprint());
    // And with the memory back, threads are made again.
    KEXPECT(run_joined_batch(0));
}

namespace {

int run_into_the_guard_page(void*) {
    return static_cast<int>(testing::overflow_the_stack());
}

}  // namespace

// The thread runs into the guard page below its own stack (not the boot
// stack's): the report must say so and name the thread.
KTEST_FAULT(stack_overflow_in_a_thread_is_reported_naming_it, "CPU EXCEPTION #DF Double fault",
            "kernel stack overflow in thread 'ktest-overflow': hit the guard page") {
    const ErrorOr<Thread*> thread = create_thread("ktest-overflow", run_into_the_guard_page, nullptr);
    KEXPECT(!thread.is_error());
    if (thread.is_error()) return;
    join(*thread);
}
