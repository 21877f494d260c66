// Whether a fleet can fit this process's address-space limit (ulimit -v, RLIMIT_AS),
// checked before the device models are allocated, so a fleet too large for the limit is
// refused up front with the figures instead of failing halfway. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace iiot {

// Bytes one simulated device takes (its model, profile index, schedule entry, slack),
// measured; and what a run takes besides.
inline constexpr uint64_t kBytesPerDevice = 320;
inline constexpr uint64_t kBaseBytes = 64ull << 20;

// Why `devices` devices (this instance's) do not fit the address space left under the
// limit, naming the settings that drive it; nullopt when they fit or there is no limit.
std::optional<std::string> WhyFleetDoesNotFit(uint64_t devices);

}  // namespace iiot
