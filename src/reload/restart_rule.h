// The "needs a restart" rule of hot reload: which config changes a running WorkerPool
// can take live, per mode and shard, and for the rest a reason that names the key.
//
// What may change live (docs/configuration.md, "Hot reload"):
//   every mode:        sensors.*, anomalies.*
//   realtime and rate: run.rate, run.interval, run.jitter, the `interval` fields of
//                      fleet.profiles, and fleet.devices when the run is not sharded
//   never matter here: log.level, alerts.*, admin.ready_*, reload.* (the app applies them)
//
// Example:
//   const std::string why = WhyRestartNeeded(running, next, ChangedKeys(running, next));
//   if (why.empty()) pool.Apply(next);
//
// A pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace iiot {

// "" when `next` differs from `running` only in keys that can change live for this run
// (its mode and shard), else a one-line reason naming the first key of changed_keys that
// needs a restart, e.g. "kafka.brokers cannot change while running (restart needed)".
// changed_keys are dotted key paths ("run.rate", "fleet.profiles"), as ChangedKeys gives.
std::string WhyRestartNeeded(const Config& running, const Config& next,
                             const std::vector<std::string>& changed_keys);

}  // namespace iiot
