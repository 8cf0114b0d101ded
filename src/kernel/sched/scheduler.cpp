// The scheduler: the run queue, the timer queue, wait queues, and the one
// function that switches threads (switch_away). One CPU runs it today; the
// per-CPU block and the lock are what several CPUs will share.
//
// Who wakes whom: a thread blocks itself (WaitQueue::wait, sleep_ms, join,
// the locks in sync.cpp); another thread or an interrupt handler wakes it
// (wake_one/wake_all), or the timer tick does when its time comes. Waking
// only makes a thread Ready; it runs when switch_away() picks it: when the
// running thread blocks, yields or exits, or at the end of an interrupt
// after the tick ended its time slice (or woke a thread while idle ran).
#include "sched/scheduler.hpp"

#include "arch/x86_64/context.hpp"
#include "arch/x86_64/cpu.hpp"
#include "arch/x86_64/interrupts.hpp"
#include "lib/log.hpp"
#include "lib/panic.hpp"
#include "lib/string.hpp"
#include "sched/cpu.hpp"

namespace kernel::sched {

namespace {

constinit arch::SpinLock g_lock;
constinit Cpu g_boot_cpu;  // CPU 0's block
constinit Thread g_boot_thread;
constinit uint64_t g_tsc_hz = 0;  // 0 until the timer ticks

void insert_sleeper_locked(Cpu& cpu, Thread* thread) {
    Thread** link = &cpu.sleepers;
    while (*link != nullptr && (*link)->wake_tsc <= thread->wake_tsc) link = &(*link)->next_queued;
    thread->next_queued = *link;
    *link = thread;
}

// The first thing a thread does when it gets the CPU back (or gets it for
// the first time): drop the scheduler lock the switching thread took, and
// settle the thread that exited on the way here, if one did.
void finish_switch() {
    Cpu& cpu = this_cpu();
    Thread* exited = cpu.exited;
    cpu.exited = nullptr;
    g_lock.unlock();
    if (exited != nullptr) settle_exited(exited);
}

// On the way out of every interrupt (arch/x86_64/interrupts.cpp).
void preempt_if_needed() {
    Cpu& cpu = this_cpu();
    if (!cpu.need_reschedule) return;
    g_lock.lock();
    cpu.need_reschedule = false;
    if (cpu.current != cpu.idle) make_ready_locked(cpu.current);
    switch_away();
}

// Idle: gives the CPU to whatever was made Ready while it ran (a thread
// exiting into idle may have woken its joiner), else halts with interrupts
// on until one comes: the way out of that interrupt switches if it woke
// somebody. The check and the halt are one step with interrupts off up to
// `sti; hlt`, so a wake-up cannot slip in between and wait for the next tick.
int idle_main(void*) {
    for (;;) {
        arch::disable_interrupts();
        if (this_cpu().need_reschedule)
            preempt_if_needed();
        else
            arch::enable_interrupts_and_wait();
    }
}

}  // namespace

// ---- Wait queues: a singly linked list through Thread::next_queued.

void WaitQueue::push(Thread* thread) {
    thread->next_queued = nullptr;
    if (m_tail != nullptr)
        m_tail->next_queued = thread;
    else
        m_head = thread;
    m_tail = thread;
}

Thread* WaitQueue::pop() {
    Thread* thread = m_head;
    if (thread == nullptr) return nullptr;
    m_head = thread->next_queued;
    if (m_head == nullptr) m_tail = nullptr;
    thread->next_queued = nullptr;
    return thread;
}

void WaitQueue::wait(arch::SpinLock& held) {
    KASSERT(!arch::interrupts_enabled());
    assert_may_block("wait on a wait queue");
    Cpu& cpu = this_cpu();
    g_lock.lock();
    cpu.current->state = ThreadState::Blocked;
    push(cpu.current);
    held.unlock();  // a waker takes held, then the scheduler lock: it finds us queued
    switch_away();
    held.lock();
}

bool WaitQueue::wake_one() {
    arch::SpinLockGuard guard(g_lock);
    Thread* thread = pop();
    if (thread == nullptr) return false;
    make_ready_locked(thread);
    return true;
}

unsigned WaitQueue::wake_all() {
    arch::SpinLockGuard guard(g_lock);
    unsigned woken = 0;
    for (Thread* thread = pop(); thread != nullptr; thread = pop(), ++woken) make_ready_locked(thread);
    return woken;
}

// ---- The scheduler's core.

void assert_may_block(const char* what) {
    const Cpu& cpu = this_cpu();
    if (cpu.interrupt_depth != 0)
        panic("an interrupt handler tried to %s, which would block thread '%s'", what, cpu.current->name);
}

arch::SpinLock& scheduler_lock() {
    return g_lock;
}

void make_ready_locked(Thread* thread) {
    Cpu& cpu = this_cpu();
    thread->state = ThreadState::Ready;
    cpu.run_queue.push(thread);
    // Idle gives way at once, not at its next tick.
    if (cpu.current == cpu.idle) cpu.need_reschedule = true;
}

void switch_away() {
    Cpu& cpu = this_cpu();
    Thread* previous = cpu.current;
    if (previous == cpu.idle) previous->state = ThreadState::Ready;  // idle is never queued
    Thread* next = cpu.run_queue.pop();
    if (next == nullptr) next = cpu.idle;
    if (next != previous) {
        const uint64_t now = arch::read_tsc();
        previous->cpu_time_tsc += now - cpu.switched_in_tsc;
        cpu.switched_in_tsc = now;
        cpu.current = next;
        cpu.thread_name = next->name;
        ++cpu.switches;
        next->state = ThreadState::Running;
        next->slice_ticks = 0;
        switch_context(&previous->saved_rsp, next->saved_rsp);
        // Running again, maybe much later: `cpu` may not be ours any more.
    } else {
        previous->state = ThreadState::Running;
    }
    finish_switch();
}

extern "C" void thread_start() {
    finish_switch();
    arch::enable_interrupts();
    Thread* self = current_thread();
    exit_thread(self->entry(self->argument));
}

void init_scheduler() {
    arch::install_cpu_local(&g_boot_cpu);
    g_boot_cpu.current = &g_boot_thread;
    lib::copy_string(g_boot_thread.name, sizeof g_boot_thread.name, "boot");
    g_boot_thread.state = ThreadState::Running;
    g_boot_thread.heap_record = false;
    g_boot_thread.detached = true;  // nobody joins the boot flow: when it exits, it is gone
    g_boot_cpu.thread_name = g_boot_thread.name;
    g_boot_cpu.switched_in_tsc = arch::read_tsc();
    adopt_boot_thread(&g_boot_thread);

    // Idle is made like any thread, then taken off the run queue: it runs
    // only when nothing else is Ready.
    const ErrorOr<Thread*> idle = create_thread("idle", idle_main, nullptr);
    if (idle.is_error()) panic("cannot create the idle thread: %s", to_string(idle.error()));
    {
        arch::SpinLockGuard guard(g_lock);
        Thread* queued = g_boot_cpu.run_queue.pop();
        KASSERT(queued == idle.value());
        g_boot_cpu.idle = queued;
        g_boot_cpu.need_reschedule = false;
    }
    arch::set_interrupt_exit_hook(preempt_if_needed);
}

void start_clock(uint64_t tsc_hz) {
    __atomic_store_n(&g_tsc_hz, tsc_hz, __ATOMIC_RELAXED);
}

void timer_tick() {
    Cpu& cpu = this_cpu();
    arch::SpinLockGuard guard(g_lock);
    const uint64_t now = arch::read_tsc();
    while (cpu.sleepers != nullptr && cpu.sleepers->wake_tsc <= now) {
        Thread* thread = cpu.sleepers;
        cpu.sleepers = thread->next_queued;
        make_ready_locked(thread);
    }
    Thread* current = cpu.current;
    if (current != cpu.idle && ++current->slice_ticks >= kTimeSliceTicks && !cpu.run_queue.empty())
        cpu.need_reschedule = true;
}

uint64_t context_switches() {
    return __atomic_load_n(&this_cpu().switches, __ATOMIC_RELAXED);
}

uint64_t cpu_time_ms(uint64_t tsc_cycles) {
    const uint64_t hz = __atomic_load_n(&g_tsc_hz, __ATOMIC_RELAXED);
    return hz == 0 ? 0 : tsc_cycles / (hz / 1000);
}

// ---- What threads call.

Thread* current_thread() {
    return this_cpu().current;
}

void yield() {
    assert_may_block("yield");
    arch::InterruptsOff interrupts_off;
    g_lock.lock();
    make_ready_locked(this_cpu().current);
    switch_away();
}

void sleep_ms(uint64_t ms) {
    assert_may_block("sleep");
    const uint64_t hz = __atomic_load_n(&g_tsc_hz, __ATOMIC_RELAXED);
    if (hz == 0) {
        log::print("mink: sleep_ms: no timer ticks on this machine: not sleeping\n");
        return;
    }
    arch::InterruptsOff interrupts_off;
    Cpu& cpu = this_cpu();
    g_lock.lock();
    Thread* self = cpu.current;
    // Saturating: a sleep too long to count in TSC cycles lasts for good.
    uint64_t cycles, wake_tsc;
    if (__builtin_mul_overflow(ms, hz / 1000, &cycles) || __builtin_add_overflow(arch::read_tsc(), cycles, &wake_tsc))
        wake_tsc = UINT64_MAX;
    self->wake_tsc = wake_tsc;
    self->state = ThreadState::Sleeping;
    insert_sleeper_locked(cpu, self);
    switch_away();
}

}  // namespace kernel::sched
