// C++ ABI glue a freestanding kernel still needs from "the runtime".
#include "lib/panic.hpp"

extern "C" {

// Called through a vtable slot of a pure virtual function: always a kernel bug.
[[noreturn]] void __cxa_pure_virtual() {
    panic("pure virtual function called");
}

}  // extern "C"
