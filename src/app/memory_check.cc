#include "app/memory_check.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>

namespace iiot {

namespace {

// The address space this process maps now (/proc/self/statm's first field), in bytes.
uint64_t MappedBytes() {
  std::ifstream in("/proc/self/statm");
  uint64_t pages = 0;
  in >> pages;
  return pages * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

std::string Megabytes(uint64_t bytes) {
  return fmt::format("{} MB", (bytes + 999'999) / 1'000'000);
}

}  // namespace

std::optional<std::string> WhyFleetDoesNotFit(uint64_t devices) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return std::nullopt;
  const uint64_t mapped = MappedBytes();
  const uint64_t left = limit.rlim_cur > mapped ? limit.rlim_cur - mapped : 0;
  const uint64_t needed = devices * kBytesPerDevice + kBaseBytes;
  if (needed <= left) return std::nullopt;
  return fmt::format(
      "{} devices (fleet.devices, --devices; this instance's share with --shard or --slice) need "
      "about {}; "
      "the address-space limit (ulimit -v) leaves {}: simulate fewer devices per instance, or "
      "raise the limit",
      devices, Megabytes(needed), Megabytes(left));
}

}  // namespace iiot
