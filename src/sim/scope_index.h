// ScopeIndex: the parts of the site (rooms, floors, buildings, the site) that hold devices
// of one instance's slice of the fleet, each with its keys (sim/place_keys.h), its name as
// messages carry it, how many devices of the whole fleet it holds, and whether the slice
// holds its first device (so that of the shards sharing a scope exactly one speaks for it).
// Devices fill rooms in order (Fleet::LocationOf), so a scope is a run of device numbers.
// Immutable after construction; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "sim/fleet.h"
#include "sim/place_keys.h"

namespace iiot {

struct FleetScope {
  ScopeLevel level = ScopeLevel::kSite;
  PlaceKeys keys;
  std::string name;      // "b01-f02", "plant1" for the site
  uint64_t devices = 0;  // over the whole fleet
  bool first_is_ours = false;
};

class ScopeIndex {
 public:
  // The scopes holding devices of `slice`; seed: the run's (its plant's keys).
  ScopeIndex(const Fleet& fleet, const FleetConfig& sizes, uint64_t seed, DeviceRange slice);

  // The scopes of one level, in device order.
  const std::vector<FleetScope>& Of(ScopeLevel level) const {
    return scopes_[static_cast<size_t>(level)];
  }
  // The scope of `level` holding the place (numbers a wider level leaves 0 are ignored);
  // null when the slice has no device there.
  const FleetScope* Find(ScopeLevel level, const Location& where) const;
  uint64_t site_key() const { return site_key_; }

 private:
  std::array<std::vector<FleetScope>, 4> scopes_;  // by ScopeLevel
  std::array<uint64_t, 4> first_group_{};  // the index among its level's of each first scope
  std::array<uint64_t, 4> rooms_per_group_{};
  uint64_t floors_ = 1;
  uint64_t site_key_ = 0;
};

}  // namespace iiot
