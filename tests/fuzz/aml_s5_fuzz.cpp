// libFuzzer target: arbitrary bytes searched for \_S5 under ASan/UBSan, both as bare AML and as a whole table
// (its header's length and checksum not checked, as find_s5_in_table trusts a caller who did). Seeded with the
// tables iasl compiles from tests/data/acpi/asl and QEMU's captured DSDTs.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "acpi/s5.hpp"
#include "acpi/tables.hpp"

namespace {

using namespace kernel::acpi;

// What the reader promises about any result: a sleep type fits SLP_TYP's 3 bits, an error has words.
void check(const kernel::ErrorOr<SleepType>& result) {
    if (result.is_error()) {
        if (to_string(result.error()) == nullptr) __builtin_trap();
        return;
    }
    if (result.value().a > 7 || result.value().b > 7) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    check(find_s5_in_aml(data, size));
    if (size >= sizeof(SdtHeader)) check(find_s5_in_table(Table{data, static_cast<uint32_t>(size)}));
    return 0;
}
