// Host tests for the interrupt-to-kernel ring buffer and the Optional it
// returns: order, fill level, wrap-around of its free-running indices, the
// drop count when full, and a real two-thread producer/consumer run.
#include "lib/ring_buffer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <random>
#include <stdexcept>
#include <thread>

using namespace kernel::lib;

namespace {

// The kernel keeps its ring in a global: it must need no constructor at run time.
constinit RingBuffer<uint8_t, 64> g_constant_initialised;

}  // namespace

TEST(Optional, EmptyHasNoValueAndReadingItPanics) {
    const Optional<int> empty;
    EXPECT_FALSE(empty.has_value());
    EXPECT_FALSE(empty);
    EXPECT_EQ(empty.value_or(7), 7);
    EXPECT_THROW((void)empty.value(), std::runtime_error);
}

TEST(Optional, HoldsAValue) {
    const Optional<uint8_t> byte = uint8_t{0xAB};
    ASSERT_TRUE(byte);
    EXPECT_EQ(*byte, 0xAB);
    EXPECT_EQ(byte.value_or(0), 0xAB);
}

TEST(RingBuffer, StartsEmpty) {
    EXPECT_TRUE(g_constant_initialised.empty());
    EXPECT_FALSE(g_constant_initialised.pop());
    EXPECT_EQ(g_constant_initialised.dropped(), 0u);
    EXPECT_EQ(g_constant_initialised.capacity(), 64u);
}

TEST(RingBuffer, FillsToCapacityThenDropsAndCounts) {
    RingBuffer<uint8_t, 8> ring;
    for (uint8_t i = 0; i < 8; ++i) {
        EXPECT_TRUE(ring.push(i));
        EXPECT_EQ(ring.size(), i + 1u);
    }
    EXPECT_FALSE(ring.push(100));
    EXPECT_FALSE(ring.push(101));
    EXPECT_EQ(ring.dropped(), 2u);
    EXPECT_EQ(ring.size(), 8u);
    for (uint8_t i = 0; i < 8; ++i) {
        const Optional<uint8_t> value = ring.pop();
        ASSERT_TRUE(value);
        EXPECT_EQ(*value, i);  // the dropped values never appear
    }
    EXPECT_FALSE(ring.pop());
    EXPECT_TRUE(ring.empty());
}

TEST(RingBuffer, RoomFreedByAPopIsUsableAgain) {
    RingBuffer<uint8_t, 4> ring;
    for (uint8_t i = 0; i < 4; ++i) ASSERT_TRUE(ring.push(i));
    ASSERT_FALSE(ring.push(9));
    EXPECT_EQ(*ring.pop(), 0);
    EXPECT_TRUE(ring.push(4));
    EXPECT_FALSE(ring.push(10));
    EXPECT_EQ(ring.dropped(), 2u);
    for (uint8_t expected = 1; expected <= 4; ++expected) EXPECT_EQ(*ring.pop(), expected);
}

TEST(RingBuffer, SlotsWrapAroundTheArray) {
    RingBuffer<uint32_t, 4> ring;
    uint32_t next_in = 0;
    uint32_t next_out = 0;
    for (int round = 0; round < 100; ++round) {
        for (int i = 0; i < 3; ++i) ASSERT_TRUE(ring.push(next_in++));
        for (int i = 0; i < 3; ++i) ASSERT_EQ(*ring.pop(), next_out++);
    }
    EXPECT_EQ(ring.dropped(), 0u);
}

// With 8-bit indices head and tail pass 255 -> 0 many times in this test; the
// fill level must stay right across that wrap, full and empty included.
TEST(RingBuffer, FreeRunningIndicesWrapTheirType) {
    RingBuffer<uint16_t, 128, uint8_t> ring;
    uint16_t next_in = 0;
    uint16_t next_out = 0;
    for (int round = 0; round < 20; ++round) {
        while (ring.push(next_in)) ++next_in;
        ASSERT_EQ(ring.size(), 128u);
        for (int i = 0; i < 100; ++i) ASSERT_EQ(*ring.pop(), next_out++);
        ASSERT_EQ(ring.size(), 28u);
        while (const Optional<uint16_t> value = ring.pop()) ASSERT_EQ(*value, next_out++);
        ASSERT_TRUE(ring.empty());
    }
    EXPECT_EQ(next_in, next_out);
    EXPECT_EQ(ring.dropped(), 20u);
}

template <typename Ring>
void run_against_a_model(uint32_t seed, int operations) {
    Ring ring;
    std::deque<uint16_t> model;
    uint32_t dropped = 0;
    std::mt19937 random(seed);
    uint16_t next = 0;
    for (int op = 0; op < operations; ++op) {
        // Bursts, as from an interrupt that fires several times before the consumer runs.
        if (random() % 2 == 0) {
            for (uint32_t n = random() % 6; n > 0; --n, ++next) {
                const bool room = model.size() < Ring::capacity();
                ASSERT_EQ(ring.push(next), room);
                if (room)
                    model.push_back(next);
                else
                    ++dropped;
            }
        } else {
            for (uint32_t n = random() % 6; n > 0; --n) {
                const Optional<uint16_t> value = ring.pop();
                ASSERT_EQ(value.has_value(), !model.empty());
                if (!value) continue;
                ASSERT_EQ(*value, model.front());
                model.pop_front();
            }
        }
        ASSERT_EQ(ring.size(), model.size());
        ASSERT_EQ(ring.dropped(), dropped);
    }
}

TEST(RingBuffer, InterleavedPushesAndPopsMatchAQueue) {
    for (uint32_t seed = 1; seed <= 20; ++seed) {
        SCOPED_TRACE(seed);
        run_against_a_model<RingBuffer<uint16_t, 8>>(seed, 2000);
        run_against_a_model<RingBuffer<uint16_t, 16, uint8_t>>(seed, 2000);
        run_against_a_model<RingBuffer<uint16_t, 1>>(seed, 500);
    }
}

// A producer and a consumer on two threads: every value arrives, once, in
// order, with no torn or stale slot (the acquire/release pairing at work).
TEST(RingBuffer, TwoThreadsPassEveryValueInOrder) {
    static RingBuffer<uint64_t, 64> ring;
    constexpr uint64_t kValues = 50'000;
    std::atomic<uint64_t> refused{0};
    std::thread producer([&] {
        for (uint64_t value = 1; value <= kValues; ++value) {
            while (!ring.push(value * 0x9E3779B97F4A7C15ull)) {
                refused.fetch_add(1, std::memory_order_relaxed);
                std::this_thread::yield();
            }
        }
    });
    uint64_t expected = 1;
    while (expected <= kValues) {
        const Optional<uint64_t> value = ring.pop();
        if (!value) {
            std::this_thread::yield();
            continue;
        }
        ASSERT_EQ(*value, expected * 0x9E3779B97F4A7C15ull);
        ++expected;
    }
    producer.join();
    EXPECT_TRUE(ring.empty());
    EXPECT_EQ(ring.dropped(), refused.load());
}
