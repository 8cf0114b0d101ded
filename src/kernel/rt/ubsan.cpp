// The UndefinedBehaviorSanitizer runtime for the kernel: clang's full handler
// ABI (__ubsan_handle_<check>(data, values...)), whose data carries the source
// location, so each report names the kind of UB and file:line:col, then
// panics. Used by the whole kernel when built with -Dubsan=true, and always
// by the test kernel's UBSan test (rt/ubsan_ktest.cpp).
#include <stddef.h>
#include <stdint.h>

#include "lib/panic.hpp"

// The runtime must not check itself: a report inside a report would recurse.
#pragma clang attribute push(__attribute__((no_sanitize("undefined"))), apply_to = function)

namespace {

// Layouts as clang emits them (compiler-rt ubsan_handlers.h).
struct SourceLocation {
    const char* file;
    uint32_t line;
    uint32_t column;
};

struct TypeDescriptor {
    uint16_t kind;  // 0: integer, 1: float, 0xFFFF: other
    uint16_t info;  // integers: bit 0 signed, bits 1-15 log2(bit width)
    char name[1];   // NUL-terminated, e.g. "'int'"
};

using ValueHandle = uintptr_t;

struct TypeMismatchData {
    SourceLocation location;
    const TypeDescriptor* type;
    uint8_t log_alignment;
    uint8_t type_check_kind;
};

struct OverflowData {
    SourceLocation location;
    const TypeDescriptor* type;
};

struct ShiftOutOfBoundsData {
    SourceLocation location;
    const TypeDescriptor* lhs_type;
    const TypeDescriptor* rhs_type;
};

struct OutOfBoundsData {
    SourceLocation location;
    const TypeDescriptor* array_type;
    const TypeDescriptor* index_type;
};

struct LocationOnlyData {  // unreachable, missing return, pointer overflow
    SourceLocation location;
};

struct InvalidValueData {
    SourceLocation location;
    const TypeDescriptor* type;
};

struct NonNullArgData {
    SourceLocation location;
    SourceLocation attribute_location;
    int argument_index;
};

struct NonNullReturnData {
    SourceLocation attribute_location;
};

struct AlignmentAssumptionData {
    SourceLocation location;
    SourceLocation assumption_location;
    const TypeDescriptor* type;
};

struct FloatCastOverflowData {
    SourceLocation location;
    const TypeDescriptor* from_type;
    const TypeDescriptor* to_type;
};

constinit bool g_reporting = false;

[[noreturn]] void report(const char* kind, const SourceLocation& location, const char* type = nullptr) {
    // UB inside the report path (console, formatting) must not loop forever.
    if (g_reporting) panic("UBSan: %s while reporting undefined behaviour", kind);
    g_reporting = true;
    panic("UBSan: %s%s%s%s at %s:%u:%u", kind, type != nullptr ? " (type " : "", type != nullptr ? type : "",
          type != nullptr ? ")" : "", location.file, location.line, location.column);
}

const char* type_check_kind(uint8_t kind) {
    static constexpr const char* kKinds[] = {
        "load of",
        "store to",
        "reference binding to",
        "member access within",
        "member call on",
        "constructor call on",
        "downcast of",
        "downcast of",
        "upcast of",
        "cast to virtual base of",
        "_Nonnull binding to",
        "dynamic operation on",
    };
    return kind < sizeof kKinds / sizeof kKinds[0] ? kKinds[kind] : "access to";
}

[[noreturn]] void type_mismatch(const TypeMismatchData& data, ValueHandle pointer) {
    const char* problem = pointer == 0                                           ? "null pointer"
                          : pointer & ((uintptr_t{1} << data.log_alignment) - 1) ? "misaligned address"
                                                                                 : "address with too little space";
    char kind[80];
    const char* action = type_check_kind(data.type_check_kind);
    // "load of null pointer" and the like, without a formatting library call.
    size_t length = 0;
    const char* const parts[] = {action, " ", problem};
    for (const char* part : parts)
        for (; *part != '\0' && length + 1 < sizeof kind; ++part) kind[length++] = *part;
    kind[length] = '\0';
    report(kind, data.location, data.type->name);
}

// Overflow reports say whether the type was signed (UB) or unsigned
// (checked only when asked for with -fsanitize=unsigned-integer-overflow).
[[noreturn]] void overflow(const OverflowData& data, const char* signed_kind, const char* unsigned_kind) {
    const bool is_signed = data.type->kind == 0 && (data.type->info & 1) != 0;
    report(is_signed ? signed_kind : unsigned_kind, data.location, data.type->name);
}

}  // namespace

// Each check has a recoverable and an _abort entry point (chosen by
// -fsanitize-recover); both report and panic here.
// clang-format off
#define UBSAN_HANDLER(name, parameters, body)                             \
    extern "C" [[noreturn]] void __ubsan_handle_##name parameters body        \
    extern "C" [[noreturn]] void __ubsan_handle_##name##_abort parameters body
// clang-format on

UBSAN_HANDLER(type_mismatch_v1, (TypeMismatchData * data, ValueHandle pointer), { type_mismatch(*data, pointer); })
UBSAN_HANDLER(add_overflow, (OverflowData * data, ValueHandle, ValueHandle),
              { overflow(*data, "signed integer overflow in addition", "unsigned integer overflow in addition"); })
UBSAN_HANDLER(sub_overflow, (OverflowData * data, ValueHandle, ValueHandle), {
    overflow(*data, "signed integer overflow in subtraction", "unsigned integer overflow in subtraction");
})
UBSAN_HANDLER(mul_overflow, (OverflowData * data, ValueHandle, ValueHandle), {
    overflow(*data, "signed integer overflow in multiplication", "unsigned integer overflow in multiplication");
})
UBSAN_HANDLER(negate_overflow, (OverflowData * data, ValueHandle),
              { overflow(*data, "signed integer overflow in negation", "unsigned integer overflow in negation"); })
UBSAN_HANDLER(divrem_overflow, (OverflowData * data, ValueHandle, ValueHandle),
              { report("division by zero or overflow in division", data->location, data->type->name); })
UBSAN_HANDLER(shift_out_of_bounds, (ShiftOutOfBoundsData * data, ValueHandle, ValueHandle),
              { report("shift out of bounds", data->location, data->lhs_type->name); })
UBSAN_HANDLER(out_of_bounds, (OutOfBoundsData * data, ValueHandle),
              { report("array index out of bounds", data->location, data->array_type->name); })
UBSAN_HANDLER(pointer_overflow, (LocationOnlyData * data, ValueHandle, ValueHandle),
              { report("pointer arithmetic overflow", data->location); })
UBSAN_HANDLER(load_invalid_value, (InvalidValueData * data, ValueHandle),
              { report("load of invalid value", data->location, data->type->name); })
UBSAN_HANDLER(nonnull_arg, (NonNullArgData * data), { report("null passed as nonnull argument", data->location); })
UBSAN_HANDLER(nonnull_return_v1, (NonNullReturnData*, SourceLocation* location),
              { report("null returned from nonnull function", *location); })
UBSAN_HANDLER(invalid_builtin, (LocationOnlyData * data),
              { report("invalid argument to __builtin_clz/ctz", data->location); })
UBSAN_HANDLER(vla_bound_not_positive, (InvalidValueData * data, ValueHandle),
              { report("variable-length array bound not positive", data->location, data->type->name); })
UBSAN_HANDLER(alignment_assumption, (AlignmentAssumptionData * data, ValueHandle, ValueHandle, ValueHandle),
              { report("alignment assumption violated", data->location, data->type->name); })
UBSAN_HANDLER(float_cast_overflow, (FloatCastOverflowData * data, ValueHandle),
              { report("float conversion overflow", data->location, data->to_type->name); })

// These two have no recoverable form.
extern "C" [[noreturn]] void __ubsan_handle_builtin_unreachable(LocationOnlyData* data) {
    report("__builtin_unreachable() reached", data->location);
}
extern "C" [[noreturn]] void __ubsan_handle_missing_return(LocationOnlyData* data) {
    report("end of non-void function reached without return", data->location);
}

#pragma clang attribute pop
