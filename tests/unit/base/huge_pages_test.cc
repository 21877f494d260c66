#include "base/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

namespace iiot {
namespace {

// Large blocks start on a 2 MiB boundary (what lets the kernel back them with huge pages);
// small ones are ordinary; both hold and keep their values through growth.
TEST(HugePageAllocator, LargeBlocksAreAlignedAndEveryBlockHoldsItsValues) {
  std::vector<uint64_t, HugePageAllocator<uint64_t>> v;
  for (uint64_t i = 0; i < 1'000'000; ++i) {
    v.push_back(i * 3);
    if (v.size() * sizeof(uint64_t) >= kHugePageBytes) {
      ASSERT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePageBytes, 0u) << v.size();
    }
  }
  for (uint64_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], i * 3);
  std::vector<uint64_t, HugePageAllocator<uint64_t>> small(10, 7);
  EXPECT_EQ(small[9], 7u);
  v.clear();
  v.shrink_to_fit();
  EXPECT_EQ(v.capacity(), 0u);
}

// Where the kernel offers transparent huge pages on request, a large block touched whole is
// backed by them (this process's AnonHugePages grows).
TEST(HugePageAllocator, TheKernelBacksALargeBlockWithHugePagesWhenItOffersThem) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the address sanitizer's allocator places blocks itself";
#endif
  std::ifstream mode_file("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode((std::istreambuf_iterator<char>(mode_file)), {});
  if (mode.find("[never]") != std::string::npos || mode.empty()) {
    GTEST_SKIP() << "transparent huge pages are off here";
  }
  const auto anon_huge_kb = [] {
    std::ifstream in("/proc/self/smaps_rollup");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("AnonHugePages:", 0) == 0) return std::stoll(line.substr(14));
    }
    return -1LL;
  };
  const long long before = anon_huge_kb();
  std::vector<char, HugePageAllocator<char>> block(64 * kHugePageBytes, 1);
  const long long after = anon_huge_kb();
  EXPECT_GT(after, before) << "AnonHugePages before " << before << " kB, after " << after;
  EXPECT_EQ(block[12345], 1);
}

}  // namespace
}  // namespace iiot
