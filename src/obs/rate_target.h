// The rate a run is configured to keep, and how far short of it the run falls:
//   - TargetRate: messages per second the configuration asks of this instance — rate
//     mode's run.rate; realtime's devices / interval (each profile's interval, weighted by
//     its share of the fleet); paced backfill's run.speed times that. Max mode and an
//     unpaced backfill have none: they run as fast as the sink takes.
//   - UnreachableRateWarning: at start, the warning for a target no run could keep (above
//     kReachablePerThread per worker thread);
//   - Shortfall: the part of the target a measured rate misses.
//
// Pure functions: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "config/config.h"
#include "sim/fleet.h"

namespace iiot {

// Per worker thread, 5 times the fastest measured (about 2,000,000 msg/s generating and
// encoding JSON into a discarded stream, release build): a target above threads times
// this is out of reach whatever the sink.
inline constexpr double kReachablePerThread = 10'000'000;

std::optional<double> TargetRate(const Config& cfg, const Fleet& fleet, uint64_t devices);

// Which settings make the target, for messages: "run.rate", "fleet.devices / run.interval".
std::string TargetSource(const Config& cfg);

// "" when `target` is within reach of `threads` threads; otherwise the one-line warning.
std::string UnreachableRateWarning(const Config& cfg, double target, size_t threads);

// (target - reached) / target, 0 when the run keeps up (or has no target).
double Shortfall(double target, double reached);

}  // namespace iiot
