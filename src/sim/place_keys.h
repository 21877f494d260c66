// PlaceKeys: the keys of the parts of the site a device is in (site, building, floor, room),
// from which the plant's shared processes and incidents are drawn. Pure functions of the
// run's plant key (PlantWorld) and the place's numbers, so a device, the labels stream and
// another shard all find the same key for one room. Thread-safe.
#pragma once

#include <cstdint>

#include "config/config.h"
#include "sim/fleet.h"

namespace iiot {

struct PlaceKeys {
  uint64_t site = 0;
  uint64_t building = 0;
  uint64_t floor = 0;
  uint64_t room = 0;
  Location where;  // the numbers, for the schedule

  uint64_t Of(ScopeLevel level) const;
};

// The key of a building of the run's plant (world: PlantWorld(seed)).
uint64_t BuildingKey(uint64_t world, uint32_t building);

// Every key of the place `where` (room 0 or floor 0: keys of the wider parts only matter).
PlaceKeys PlaceKeysOf(uint64_t world, const Location& where);

}  // namespace iiot
