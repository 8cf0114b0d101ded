// Host tests of the timers' pure arithmetic: widening wrapping counters,
// rate scaling, and the I/O APIC redirection entries.
#include <gtest/gtest.h>

#include "drivers/ioapic.hpp"
#include "lib/counter_extender.hpp"

namespace {

using kernel::lib::CounterExtender;
using kernel::lib::scale_rate;

TEST(CounterExtender, FirstReadingIsZero) {
    CounterExtender counter(24);
    EXPECT_EQ(counter.update(0x123456), 0u);
    EXPECT_EQ(counter.update(0x123460), 10u);
}

TEST(CounterExtender, WrapsOfNarrowCountersAreCarried) {
    CounterExtender counter(16);
    uint64_t expected = 0;
    uint64_t raw = 0xFF00;
    (void)counter.update(raw);
    for (int i = 0; i < 1000; ++i) {
        raw += 0x7001;  // less than one wrap per reading
        expected += 0x7001;
        EXPECT_EQ(counter.update(raw), expected);
    }
}

TEST(CounterExtender, BitsAboveTheWidthAreIgnored) {
    CounterExtender counter(24);
    (void)counter.update(0xFF'FFFFFF);
    EXPECT_EQ(counter.update(0xAB'000001), 2u);
}

TEST(CounterExtender, SixtyFourBitCounterNeverMasks) {
    CounterExtender counter(64);
    (void)counter.update(~uint64_t(0) - 1);
    EXPECT_EQ(counter.update(3), 5u);
}

TEST(ScaleRate, MatchesTheExactQuotient) {
    EXPECT_EQ(scale_rate(1'248'600, 100'000'000, 2'000'000), 62'430'000u);
    EXPECT_EQ(scale_rate(51'900'000, 3'579'545, 71'590), 2'595'032'623u);
    EXPECT_EQ(scale_rate(0xFFFF'FFFF, 0xFFFF'FFFF, 0xFFFF'FFFF), 0xFFFF'FFFFu);
}

TEST(ScaleRate, StillReferenceGivesZero) {
    EXPECT_EQ(scale_rate(1000, 1000, 0), 0u);
}

TEST(IoApicRedirection, IsaDefaultIsEdgeActiveHighUnmasked) {
    using kernel::acpi::Polarity;
    using kernel::acpi::TriggerMode;
    EXPECT_EQ(kernel::drivers::ioapic_redirection(0x31, Polarity::ActiveHigh, TriggerMode::Edge, 0, false), 0x31u);
}

TEST(IoApicRedirection, LevelLowMaskedWithDestination) {
    using kernel::acpi::Polarity;
    using kernel::acpi::TriggerMode;
    const uint64_t entry = kernel::drivers::ioapic_redirection(0x39, Polarity::ActiveLow, TriggerMode::Level, 3, true);
    EXPECT_EQ(entry & 0xFF, 0x39u);
    EXPECT_TRUE(entry & (1u << 13));
    EXPECT_TRUE(entry & (1u << 15));
    EXPECT_TRUE(entry & (1u << 16));
    EXPECT_EQ(entry >> 56, 3u);
}

}  // namespace
