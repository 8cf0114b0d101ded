// Kernel threads: many flows of control, each on its own kernel stack above
// a guard page, switched by the scheduler (sched/scheduler.hpp).
//
// A thread's life: create_thread() makes it Ready; the scheduler makes it
// Running; it may block (Blocked on a wait queue, Sleeping until a time)
// and is made Ready again by whoever wakes it; exit_thread(), or returning
// from its entry, makes it Exited. Its record and stack are freed when
// another thread joins it, or at once when it was detached.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "addr/address.hpp"
#include "lib/error.hpp"
#include "sched/wait_queue.hpp"

namespace kernel::sched {

enum class ThreadState : uint8_t {
    Ready,     // on the run queue, waiting for a CPU
    Running,   // on a CPU now
    Blocked,   // on a wait queue, until another thread or an interrupt wakes it
    Sleeping,  // on the timer queue, until its wake-up time
    Exited,    // finished; kept until it is joined (or, detached, freed)
};

[[nodiscard]] const char* to_string(ThreadState state);

// What a thread runs; its return value is the exit status join() returns.
using ThreadEntry = int (*)(void* argument);

inline constexpr size_t kThreadNameSize = 24;  // with the terminating zero

struct Thread {
    uint64_t id = 0;  // 0 for the boot flow, then 1, 2, ... never reused
    char name[kThreadNameSize] = {};
    ThreadState state = ThreadState::Ready;

    // Where switch_context() left this thread's stack pointer when it last
    // stopped running; the callee-saved registers lie there (arch/x86_64/context.hpp).
    uint64_t saved_rsp = 0;
    // The top of its guarded kernel stack (mm/kernel_stacks), or null for the
    // boot flow, which runs on the trampoline's stack and has nothing to free.
    mm::VirtualAddress stack_top{};

    ThreadEntry entry = nullptr;
    void* argument = nullptr;
    int exit_status = 0;

    uint64_t cpu_time_tsc = 0;           // TSC cycles spent running, up to its last switch out
    uint64_t wake_tsc = 0;               // when Sleeping: the TSC reading to wake at
    uint32_t slice_ticks = 0;            // timer ticks run since it was last switched in
    class Mutex* waiting_for = nullptr;  // the mutex it is blocked on, for deadlock reports
    uint32_t mutexes_held = 0;           // exiting while above 0 would strand their waiters

    // Set under the thread list's lock (thread.cpp).
    bool detached = false;
    bool finished = false;    // exited and switched away from: its stack is free to go
    bool heap_record = true;  // false for the boot flow's static record
    WaitQueue joiners;        // join() waits here for `finished`

    // Links: on the run queue, a wait queue or the timer queue (one at a
    // time), and on the list of all threads.
    Thread* next_queued = nullptr;
    Thread* next_in_list = nullptr;
};

// Makes a thread that runs entry(argument) and puts it on the run queue. The
// name is copied (cut to fit). Errors: OutOfMemory for the record, or the
// kernel stack's (NoKernelStackSlot, OutOfFrames); nothing is kept then.
[[nodiscard]] ErrorOr<Thread*> create_thread(const char* name, ThreadEntry entry, void* argument);

// Waits until thread has exited, frees its record and stack, and returns its
// exit status. thread must not be detached, nor joined twice, nor the caller.
int join(Thread* thread);

// Nobody will join thread: its record and stack are freed as soon as it has
// exited (at once if it already has).
void detach(Thread* thread);

// Ends the calling thread with status; never returns.
[[noreturn]] void exit_thread(int status);

// The thread running on this CPU.
[[nodiscard]] Thread* current_thread();

// Lets every other Ready thread run before the caller goes on.
void yield();

// Blocks the caller for at least ms milliseconds; it is woken by the first
// timer tick at or after that time (so within one tick of it).
void sleep_ms(uint64_t ms);

// What `ps` shows of one thread.
struct ThreadInfo {
    uint64_t id = 0;
    ThreadState state = ThreadState::Ready;
    uint64_t cpu_time_ms = 0;
    char name[kThreadNameSize] = {};
};

// Fills out with up to capacity threads, oldest first (exited ones not yet
// joined included); returns how many there are in all.
size_t list_threads(ThreadInfo* out, size_t capacity);

// How many thread records exist now (exited, unjoined ones included).
[[nodiscard]] size_t thread_count();

}  // namespace kernel::sched
