// operator new and delete, every form C++20 may call, on the kernel heap.
// Running out of memory panics: kernel code has no exceptions to throw, and
// a null return would only move the crash somewhere less clear.
#include <stddef.h>

#include "lib/panic.hpp"
#include "mm/memory.hpp"

// Freestanding code has no <new>: the aligned forms' tag type, declared as
// the standard does.
namespace std {
enum class align_val_t : size_t {};
}

namespace {

// The heap gives a zero-byte request a block of its own, as C++ requires.
void* allocate(size_t size, size_t alignment) {
    void* pointer = kernel::mm::heap_allocate(size, alignment);
    if (pointer == nullptr) panic("out of memory: new of %zu bytes (alignment %zu)", size, alignment);
    return pointer;
}

constexpr size_t kDefaultAlignment = kernel::mm::Heap::kMinAlignment;

}  // namespace

void* operator new(size_t size) {
    return allocate(size, kDefaultAlignment);
}
void* operator new[](size_t size) {
    return allocate(size, kDefaultAlignment);
}
void* operator new(size_t size, std::align_val_t alignment) {
    return allocate(size, static_cast<size_t>(alignment));
}
void* operator new[](size_t size, std::align_val_t alignment) {
    return allocate(size, static_cast<size_t>(alignment));
}

void operator delete(void* pointer) noexcept {
    if (pointer != nullptr) kernel::mm::heap_free(pointer);
}
void operator delete[](void* pointer) noexcept {
    operator delete(pointer);
}
void operator delete(void* pointer, std::align_val_t) noexcept {
    operator delete(pointer);
}
void operator delete[](void* pointer, std::align_val_t) noexcept {
    operator delete(pointer);
}

// Sized forms: the compiler passes what new was asked for, and the heap
// checks it against its record, so a delete through the wrong type panics.
void operator delete(void* pointer, size_t size) noexcept {
    if (pointer != nullptr) kernel::mm::heap_free(pointer, size);
}
void operator delete[](void* pointer, size_t size) noexcept {
    operator delete(pointer, size);
}
void operator delete(void* pointer, size_t size, std::align_val_t) noexcept {
    operator delete(pointer, size);
}
void operator delete[](void* pointer, size_t size, std::align_val_t) noexcept {
    operator delete(pointer, size);
}
