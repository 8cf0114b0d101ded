// In-kernel tests of the blocking locks: a Mutex keeps N threads' M
// increments whole, Semaphores and a ConditionVariable carry a bounded
// queue between producers and consumers, and each misuse the locks promise
// to catch panics naming the thread.
#include "arch/x86_64/interrupts.hpp"
#include "sched/sync.hpp"
#include "sched/thread.hpp"
#include "testing/ktest.hpp"

using namespace kernel;
using namespace kernel::sched;

namespace {

void* as_argument(uintptr_t value) {
    return reinterpret_cast<void*>(value);
}

// Creates count threads running entry(0 .. count-1) and joins them all;
// false if one could not be made.
template <unsigned count>
bool run_and_join(const char* name, ThreadEntry entry) {
    Thread* threads[count] = {};
    bool ok = true;
    for (unsigned i = 0; i < count; ++i) {
        const ErrorOr<Thread*> thread = create_thread(name, entry, as_argument(i));
        if (thread.is_error()) {
            ok = false;
            break;
        }
        threads[i] = *thread;
    }
    for (Thread* thread : threads)
        if (thread != nullptr) join(thread);
    return ok;
}

constexpr unsigned kWorkers = 4;
constexpr unsigned kIncrements = 500;

constinit Mutex g_counter_mutex{"ktest-counter"};
constinit volatile uint64_t g_counter = 0;
// Both changed only with g_counter_mutex held.
constinit unsigned g_contended = 0;
constinit bool g_owner_wrong = false;

// Reads the counter, sometimes gives the CPU away, then writes it back one
// higher: without the mutex the others' increments in between are lost.
int add_under_the_mutex(void* argument) {
    const unsigned worker = static_cast<unsigned>(reinterpret_cast<uintptr_t>(argument));
    for (unsigned i = 0; i < kIncrements; ++i) {
        if (!g_counter_mutex.try_lock()) {
            g_counter_mutex.lock();
            ++g_contended;
        }
        if (g_counter_mutex.owner() != current_thread()) g_owner_wrong = true;
        const uint64_t seen = g_counter;
        if ((i + worker) % 8 == 0) yield();
        if (i == kIncrements / 2) sleep_ms(1);
        g_counter = seen + 1;
        g_counter_mutex.unlock();
    }
    return 0;
}

}  // namespace

KTEST(n_threads_times_m_increments_under_a_mutex_give_n_times_m) {
    g_counter = 0;
    g_contended = 0;
    g_owner_wrong = false;
    KEXPECT(run_and_join<kWorkers>("ktest-add", add_under_the_mutex));
    KEXPECT_EQ(g_counter, uint64_t{kWorkers} * kIncrements);
    // The yields inside must have made the others wait, or nothing was tested.
    KEXPECT(g_contended > 0);
    KEXPECT(!g_owner_wrong);
    KEXPECT(g_counter_mutex.owner() == nullptr);
}

// The non-blocking halves: they take only what is free, and say so.
KTEST(try_wait_and_try_lock_take_only_what_is_free) {
    Semaphore semaphore{2};
    KEXPECT(semaphore.try_wait());
    KEXPECT(semaphore.try_wait());
    KEXPECT(!semaphore.try_wait());
    semaphore.signal();
    KEXPECT_EQ(semaphore.count(), 1u);
    KEXPECT(semaphore.try_wait());
    Mutex mutex{"ktest-try"};
    KEXPECT(mutex.try_lock());
    KEXPECT(mutex.owner() == current_thread());
    KEXPECT(!mutex.try_lock());
    mutex.unlock();
    KEXPECT(mutex.owner() == nullptr);
}

namespace {

// A bounded queue of numbered items, smaller than what goes through it, so
// producers find it full and consumers find it empty.
constexpr unsigned kProducers = 2;
constexpr unsigned kConsumers = 2;
constexpr unsigned kItemsEach = 200;
constexpr unsigned kItems = kProducers * kItemsEach;
constexpr unsigned kSlots = 4;
static_assert(kItems % kConsumers == 0);

struct Queue {
    unsigned items[kSlots];
    unsigned head, tail, count;
    uint8_t seen[kItems];  // how often each item was taken
    unsigned strays;       // items taken that were never put
};
constinit Queue g_queue{};

void put(unsigned item) {
    g_queue.items[g_queue.tail++ % kSlots] = item;
    ++g_queue.count;
}

void take() {
    const unsigned item = g_queue.items[g_queue.head++ % kSlots];
    --g_queue.count;
    if (item < kItems)
        ++g_queue.seen[item];
    else
        ++g_queue.strays;
}

void reset_queue() {
    g_queue = {};
    for (unsigned& item : g_queue.items) item = kItems;  // a stray if taken before it is put
}

// Each item taken exactly once, nothing else taken, nothing left.
void expect_every_item_taken_once() {
    unsigned wrong = 0;
    for (const uint8_t times : g_queue.seen)
        if (times != 1) ++wrong;
    KEXPECT_EQ(wrong, 0u);
    KEXPECT_EQ(g_queue.strays, 0u);
    KEXPECT_EQ(g_queue.count, 0u);
}

// Counting semaphores for the free and the filled slots; a mutex for the
// indices, which two producers (and two consumers) share.
constinit Semaphore g_free_slots{kSlots};
constinit Semaphore g_filled_slots{0};
constinit Mutex g_queue_mutex{"ktest-queue"};

int produce_with_semaphores(void* argument) {
    const unsigned producer = static_cast<unsigned>(reinterpret_cast<uintptr_t>(argument));
    for (unsigned i = 0; i < kItemsEach; ++i) {
        g_free_slots.wait();
        {
            MutexGuard guard(g_queue_mutex);
            put(producer * kItemsEach + i);
        }
        g_filled_slots.signal();
        if (i % 16 == 0) yield();
    }
    return 0;
}

int consume_with_semaphores(void*) {
    for (unsigned i = 0; i < kItems / kConsumers; ++i) {
        g_filled_slots.wait();
        {
            MutexGuard guard(g_queue_mutex);
            take();
        }
        g_free_slots.signal();
    }
    return 0;
}

}  // namespace

KTEST(semaphores_carry_every_item_from_producers_to_consumers_once) {
    reset_queue();
    // Consumers first, so they find the queue empty and block.
    Thread* threads[kConsumers + kProducers] = {};
    unsigned made = 0;
    for (unsigned i = 0; i < kConsumers; ++i) {
        const ErrorOr<Thread*> thread = create_thread("ktest-consumer", consume_with_semaphores, nullptr);
        if (!thread.is_error()) threads[made++] = *thread;
    }
    for (unsigned i = 0; i < kProducers; ++i) {
        const ErrorOr<Thread*> thread = create_thread("ktest-producer", produce_with_semaphores, as_argument(i));
        if (!thread.is_error()) threads[made++] = *thread;
    }
    KEXPECT_EQ(made, kConsumers + kProducers);
    if (made != kConsumers + kProducers) return;  // (the rest would wait forever)
    for (Thread* thread : threads) join(thread);
    expect_every_item_taken_once();
    KEXPECT_EQ(g_free_slots.count(), uint64_t{kSlots});
    KEXPECT_EQ(g_filled_slots.count(), 0u);
}

namespace {

constinit Mutex g_monitor{"ktest-monitor"};
constinit ConditionVariable g_not_full;
constinit ConditionVariable g_not_empty;

int produce_with_conditions(void* argument) {
    const unsigned producer = static_cast<unsigned>(reinterpret_cast<uintptr_t>(argument));
    for (unsigned i = 0; i < kItemsEach; ++i) {
        MutexGuard guard(g_monitor);
        while (g_queue.count == kSlots) g_not_full.wait(g_monitor);
        put(producer * kItemsEach + i);
        g_not_empty.notify_one();
    }
    return 0;
}

int consume_with_conditions(void*) {
    for (unsigned i = 0; i < kItems / kConsumers; ++i) {
        MutexGuard guard(g_monitor);
        while (g_queue.count == 0) g_not_empty.wait(g_monitor);
        take();
        g_not_full.notify_one();
    }
    return 0;
}

}  // namespace

KTEST(a_condition_variable_carries_every_item_from_producers_to_consumers_once) {
    reset_queue();
    Thread* threads[kConsumers + kProducers] = {};
    unsigned made = 0;
    for (unsigned i = 0; i < kConsumers; ++i) {
        const ErrorOr<Thread*> thread = create_thread("ktest-consumer", consume_with_conditions, nullptr);
        if (!thread.is_error()) threads[made++] = *thread;
    }
    for (unsigned i = 0; i < kProducers; ++i) {
        const ErrorOr<Thread*> thread = create_thread("ktest-producer", produce_with_conditions, as_argument(i));
        if (!thread.is_error()) threads[made++] = *thread;
    }
    KEXPECT_EQ(made, kConsumers + kProducers);
    if (made != kConsumers + kProducers) return;
    for (Thread* thread : threads) join(thread);
    expect_every_item_taken_once();
}

namespace {

constexpr unsigned kWaiters = 3;
constinit Mutex g_gate_mutex{"ktest-gate"};
constinit ConditionVariable g_gate;
constinit bool g_gate_open = false;  // under g_gate_mutex
constinit volatile unsigned g_through = 0;

int wait_at_the_gate(void*) {
    MutexGuard guard(g_gate_mutex);
    while (!g_gate_open) g_gate.wait(g_gate_mutex);
    g_through = g_through + 1;
    return 0;
}

}  // namespace

// One notify_all must wake every waiter. Should it wake fewer, the test
// says so, then opens the gate one by one so that the joins return.
KTEST(notify_all_wakes_every_waiter) {
    g_gate_open = false;
    g_through = 0;
    Thread* threads[kWaiters] = {};
    for (unsigned i = 0; i < kWaiters; ++i) {
        const ErrorOr<Thread*> thread = create_thread("ktest-gate", wait_at_the_gate, nullptr);
        KEXPECT(!thread.is_error());
        if (!thread.is_error()) threads[i] = *thread;
    }
    sleep_ms(1);  // all of them at the gate
    {
        MutexGuard guard(g_gate_mutex);
        g_gate_open = true;
        g_gate.notify_all();
    }
    for (int tries = 0; tries < 50 && g_through < kWaiters; ++tries) sleep_ms(1);
    KEXPECT_EQ(g_through, kWaiters);
    for (int tries = 0; tries < 100 && g_through < kWaiters; ++tries) {
        g_gate.notify_one();
        sleep_ms(1);
    }
    for (Thread* thread : threads)
        if (thread != nullptr) join(thread);
}

namespace {

constexpr uint8_t kSignalVector = 0x82;
constinit Semaphore g_from_interrupt{0};

void signal_from_the_handler(arch::InterruptFrame&, void*) {
    g_from_interrupt.signal();
}

int wait_for_the_interrupt(void*) {
    g_from_interrupt.wait();
    return 0;
}

}  // namespace

// How a driver's interrupt wakes the thread that waits for its device.
KTEST(a_semaphore_signalled_in_an_interrupt_handler_wakes_its_waiter) {
    KEXPECT(!arch::register_interrupt_handler(kSignalVector, signal_from_the_handler, nullptr).is_error());
    const ErrorOr<Thread*> waiter = create_thread("ktest-irq-waiter", wait_for_the_interrupt, nullptr);
    KEXPECT(!waiter.is_error());
    if (waiter.is_error()) return;
    while ((*waiter)->state != ThreadState::Blocked) yield();
    asm volatile("int %0" : : "i"(kSignalVector));
    for (int tries = 0; tries < 50 && (*waiter)->state != ThreadState::Exited; ++tries) sleep_ms(1);
    KEXPECT((*waiter)->state == ThreadState::Exited);
    if ((*waiter)->state != ThreadState::Exited) g_from_interrupt.signal();
    join(*waiter);
    KEXPECT(arch::unregister_interrupt_handler(kSignalVector, signal_from_the_handler));
}

// The misuses, each ending its boot. The threads have names of their own so
// that the report can be seen to name the right one.

namespace {

constinit Mutex g_held{"ktest-held"};

int unlock_what_another_holds(void*) {
    g_held.unlock();
    return 0;
}

int lock_twice(void*) {
    g_held.lock();
    g_held.lock();
    return 0;
}

}  // namespace

KTEST_EXPECT_PANIC(unlocking_a_mutex_another_thread_holds_panics_naming_it,
                   "thread 'ktest-unlocker' unlocked mutex 'ktest-held', which thread 'boot' holds") {
    g_held.lock();
    const ErrorOr<Thread*> thread = create_thread("ktest-unlocker", unlock_what_another_holds, nullptr);
    if (!thread.is_error()) join(*thread);
}

KTEST_EXPECT_PANIC(locking_a_mutex_twice_panics_naming_the_thread,
                   "deadlock: thread 'ktest-relocker' locked mutex 'ktest-held' it already holds") {
    const ErrorOr<Thread*> thread = create_thread("ktest-relocker", lock_twice, nullptr);
    if (!thread.is_error()) join(*thread);
}

namespace {

int exit_holding_a_mutex(void*) {
    g_held.lock();
    return 0;
}

}  // namespace

KTEST_EXPECT_PANIC(exiting_while_holding_a_mutex_panics_naming_the_thread,
                   "thread 'ktest-holder' exited holding 1 mutex(es)") {
    const ErrorOr<Thread*> thread = create_thread("ktest-holder", exit_holding_a_mutex, nullptr);
    if (!thread.is_error()) join(*thread);
}

namespace {

constinit Mutex g_first{"ktest-first"};
constinit Mutex g_second{"ktest-second"};
constinit Semaphore g_second_taken{0};
constinit Thread* g_boot_thread = nullptr;

// Takes the second mutex, waits until the boot thread, holding the first,
// blocks on it, then asks for the first: a circle of two.
int close_the_circle(void*) {
    g_second.lock();
    g_second_taken.signal();
    while (g_boot_thread->waiting_for != &g_second) yield();
    g_first.lock();
    return 0;
}

}  // namespace

KTEST_EXPECT_PANIC(a_circle_of_two_threads_waiting_on_mutexes_panics_naming_them,
                   "deadlock: thread 'ktest-circle' waits for mutex 'ktest-first' held by 'boot'",
                   "which waits in turn for 'ktest-circle'") {
    g_boot_thread = current_thread();
    g_first.lock();
    const ErrorOr<Thread*> thread = create_thread("ktest-circle", close_the_circle, nullptr);
    if (thread.is_error()) return;
    g_second_taken.wait();
    g_second.lock();
}

namespace {

constexpr uint8_t kBlockingVector = 0x83;
constinit Semaphore g_never_signalled{0};

void block_in_the_handler(arch::InterruptFrame&, void*) {
    g_never_signalled.wait();
}

}  // namespace

KTEST_EXPECT_PANIC(waiting_in_an_interrupt_handler_panics,
                   "an interrupt handler tried to wait on a semaphore, which would block thread 'boot'") {
    if (arch::register_interrupt_handler(kBlockingVector, block_in_the_handler, nullptr).is_error()) return;
    asm volatile("int %0" : : "i"(kBlockingVector));
}
