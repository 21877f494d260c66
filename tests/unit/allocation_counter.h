// Replaces the global operator new/delete of the test executable that includes it with
// counting ones, so a test can prove a hot path allocates nothing: read g_allocations
// before and after. Include from exactly one file per test executable (each unit test
// file is its own executable). Thread-safe (one relaxed atomic).
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

// The replacements pair malloc with free; GCC cannot see that through the inlined
// sized deletes and warns.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

inline std::atomic<uint64_t> g_allocations{0};

namespace {

void* CountedAllocate(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
}  // namespace

void* operator new(std::size_t n) {
  if (void* p = CountedAllocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = CountedAllocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return CountedAllocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return CountedAllocate(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
