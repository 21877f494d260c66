// HugePageAllocator: a standard allocator for the large per-device arrays (device models,
// the schedule's reports). A block of 2 MiB or more is aligned to 2 MiB and marked
// MADV_HUGEPAGE, so the kernel backs it with transparent huge pages where it allows them
// (the default "madvise" setting does). A million devices' state spread over 4 KiB pages
// costs a TLB miss on almost every access; over 2 MiB pages it mostly does not. Smaller
// blocks are ordinary allocations. Without huge pages the advice is ignored: only the
// alignment remains.
//
// Thread-safety: stateless; as thread-safe as operator new.
//
// Example:
//   std::vector<DeviceModel, HugePageAllocator<DeviceModel>> models;
//   models.reserve(1'000'000);  // 192 MB on huge pages
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <new>

namespace iiot {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

template <typename T>
class HugePageAllocator {
 public:
  using value_type = T;
  // Small blocks come from the plain operator new, aligned for any ordinary type only.
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "over-aligned types need more");

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT: rebinding is implicit

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) return static_cast<T*>(::operator new(bytes));
    void* p = ::operator new (Rounded(bytes), std::align_val_t{kHugePageBytes});
    ::madvise(p, Rounded(bytes), MADV_HUGEPAGE);  // advice: its failure changes nothing
    return static_cast<T*>(p);
  }

  void deallocate(T* p, size_t n) noexcept {
    // The unsized forms: clang declares the sized ones only with -fsized-deallocation.
    if (n * sizeof(T) < kHugePageBytes) {
      ::operator delete(p);
    } else {
      ::operator delete (p, std::align_val_t{kHugePageBytes});
    }
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }

 private:
  static size_t Rounded(size_t bytes) {
    return (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  }
};

}  // namespace iiot
