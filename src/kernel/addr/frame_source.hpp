// Where code that needs whole physical frames (the page-table mapper, the
// heap's growth) gets them: the frame allocator in the kernel, a fake in tests.
#pragma once

#include "addr/address.hpp"
#include "lib/optional.hpp"

namespace kernel::mm {

class FrameSource {
public:
    // A 4 KiB-aligned frame, its contents undefined; nothing when none is left.
    [[nodiscard]] virtual lib::Optional<PhysicalAddress> allocate() = 0;
    // Gives back a frame allocate() returned.
    virtual void free(PhysicalAddress frame) = 0;

protected:
    // Never deleted through this interface, so no virtual destructor (and no
    // operator delete) is needed.
    ~FrameSource() = default;
};

}  // namespace kernel::mm
