// Reading one ACPI table out of physical memory: the header, its length and checksum checked before anything else.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/error.hpp"

namespace kernel::acpi {

// The caller's window onto physical memory: the kernel backs it with its direct map, host tests with a fake image.
class PhysicalMemory {
public:
    // `length` readable bytes at physical_address, or nullptr when any of them cannot be read (or the range wraps).
    [[nodiscard]] virtual const uint8_t* view(uint64_t physical_address, uint64_t length) const = 0;

protected:
    // Never deleted through this interface, so the kernel needs no operator delete for it.
    ~PhysicalMemory() = default;
};

// A table whose header, length and checksum have been checked: bytes[0, length) is readable and length >= 36.
struct Table {
    const uint8_t* bytes = nullptr;
    uint32_t length = 0;
};

[[nodiscard]] bool checksum_is_zero(const uint8_t* bytes, size_t length);

// Reads the table at address and checks it carries `signature` (4 characters).
[[nodiscard]] ErrorOr<Table> read_table(const PhysicalMemory& memory, uint64_t address, const char* signature);

// The same checks on bytes already in hand, `available` of them readable.
[[nodiscard]] ErrorOr<Table> check_table(const uint8_t* bytes, size_t available, const char* signature);

}  // namespace kernel::acpi
