// A thread's life: its record and stack made, its first stack frame laid
// out for switch_context(), its exit, and its record and stack freed when it
// is joined (or, detached, as soon as it has exited).
#include "sched/thread.hpp"

#include "arch/x86_64/context.hpp"
#include "arch/x86_64/cpu.hpp"
#include "lib/panic.hpp"
#include "lib/placement_new.hpp"
#include "lib/string.hpp"
#include "mm/kernel_stacks.hpp"
#include "mm/memory.hpp"
#include "sched/cpu.hpp"

namespace kernel::sched {

namespace {

// Every thread record, oldest first, under g_list_lock; also the lock of
// each record's `detached` and `finished` and of joining.
constinit arch::SpinLock g_list_lock;
constinit Thread* g_first = nullptr;
constinit Thread* g_last = nullptr;
constinit size_t g_count = 0;
constinit uint64_t g_next_id = 1;

void unlink_locked(Thread* thread) {
    Thread** link = &g_first;
    Thread* previous = nullptr;
    while (*link != thread) {
        KASSERT(*link != nullptr);
        previous = *link;
        link = &(*link)->next_in_list;
    }
    *link = thread->next_in_list;
    if (g_last == thread) g_last = previous;
    --g_count;
}

void free_thread(Thread* thread) {
    if (thread->stack_top.value() != 0) mm::free_kernel_stack(thread->stack_top);
    if (thread->heap_record) {
        thread->~Thread();
        mm::heap_free(thread);
    }
}

// The first frame on a new stack: switch_context() pops the zeroed
// callee-saved registers and "returns" into thread_trampoline. After that
// return RSP is 16-byte aligned, as the trampoline's call wants.
uint64_t initial_stack_pointer(mm::VirtualAddress stack_top) {
    constexpr uint64_t kAlignmentPad = 8;
    const uint64_t frame_address = stack_top.value() - kAlignmentPad - sizeof(arch::SwitchFrame) - 8;
    auto* frame = reinterpret_cast<arch::SwitchFrame*>(frame_address);
    *frame = {};
    frame->return_address = reinterpret_cast<uint64_t>(&thread_trampoline);
    return frame_address;
}

}  // namespace

const char* to_string(ThreadState state) {
    switch (state) {
    case ThreadState::Ready: return "ready";
    case ThreadState::Running: return "running";
    case ThreadState::Blocked: return "blocked";
    case ThreadState::Sleeping: return "sleeping";
    case ThreadState::Exited: return "exited";
    }
    return "?";
}

void add_to_thread_list(Thread* thread) {
    arch::SpinLockGuard guard(g_list_lock);
    thread->next_in_list = nullptr;
    if (g_last != nullptr)
        g_last->next_in_list = thread;
    else
        g_first = thread;
    g_last = thread;
    ++g_count;
}

void adopt_boot_thread(Thread* boot) {
    boot->id = 0;
    add_to_thread_list(boot);
}

ErrorOr<Thread*> create_thread(const char* name, ThreadEntry entry, void* argument) {
    void* memory = mm::heap_allocate(sizeof(Thread), alignof(Thread));
    if (memory == nullptr) return Error::OutOfMemory;
    const ErrorOr<mm::VirtualAddress> stack = mm::allocate_kernel_stack();
    if (stack.is_error()) {
        mm::heap_free(memory);
        return stack.error();
    }
    Thread* thread = new (memory) Thread;
    lib::copy_string(thread->name, sizeof thread->name, name);
    thread->entry = entry;
    thread->argument = argument;
    thread->stack_top = stack.value();
    thread->saved_rsp = initial_stack_pointer(thread->stack_top);
    thread->id = __atomic_fetch_add(&g_next_id, 1, __ATOMIC_RELAXED);
    add_to_thread_list(thread);
    arch::SpinLockGuard guard(scheduler_lock());
    make_ready_locked(thread);
    return thread;
}

void exit_thread(int status) {
    assert_may_block("exit its thread");
    arch::disable_interrupts();
    Cpu& cpu = this_cpu();
    Thread* self = cpu.current;
    if (self == cpu.idle) panic("the idle thread exited");
    if (self->mutexes_held != 0)
        panic("thread '%s' exited holding %u mutex(es): their waiters would wait for good", self->name,
              self->mutexes_held);
    scheduler_lock().lock();
    self->exit_status = status;
    self->state = ThreadState::Exited;
    cpu.exited = self;
    switch_away();
    panic("exited thread '%s' ran again", self->name);
}

void settle_exited(Thread* thread) {
    bool free_now;
    {
        arch::SpinLockGuard guard(g_list_lock);
        thread->finished = true;
        free_now = thread->detached;
        if (free_now) unlink_locked(thread);
        thread->joiners.wake_all();
    }
    if (free_now) free_thread(thread);
}

int join(Thread* thread) {
    assert_may_block("join a thread");
    Thread* self = current_thread();
    if (thread == self) panic("thread '%s' tried to join itself", self->name);
    int status;
    {
        arch::SpinLockGuard guard(g_list_lock);
        if (thread->detached) panic("thread '%s' joined detached thread '%s'", self->name, thread->name);
        while (!thread->finished) thread->joiners.wait(g_list_lock);
        status = thread->exit_status;
        unlink_locked(thread);
    }
    free_thread(thread);
    return status;
}

void detach(Thread* thread) {
    bool free_now;
    {
        arch::SpinLockGuard guard(g_list_lock);
        thread->detached = true;
        free_now = thread->finished;
        if (free_now) unlink_locked(thread);
    }
    if (free_now) free_thread(thread);
}

size_t list_threads(ThreadInfo* out, size_t capacity) {
    arch::SpinLockGuard guard(g_list_lock);
    const Thread* running = this_cpu().current;
    const uint64_t running_for = arch::read_tsc() - this_cpu().switched_in_tsc;
    size_t index = 0;
    for (const Thread* thread = g_first; thread != nullptr; thread = thread->next_in_list, ++index) {
        if (index >= capacity) continue;
        ThreadInfo& info = out[index];
        info.id = thread->id;
        info.state = thread->state;
        info.cpu_time_ms = cpu_time_ms(thread->cpu_time_tsc + (thread == running ? running_for : 0));
        lib::copy_string(info.name, sizeof info.name, thread->name);
    }
    return index;
}

size_t thread_count() {
    arch::SpinLockGuard guard(g_list_lock);
    return g_count;
}

}  // namespace kernel::sched
