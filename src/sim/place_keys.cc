#include "sim/place_keys.h"

#include "sim/rng.h"

namespace iiot {

uint64_t PlaceKeys::Of(ScopeLevel level) const {
  switch (level) {
    case ScopeLevel::kRoom:
      return room;
    case ScopeLevel::kFloor:
      return floor;
    case ScopeLevel::kBuilding:
      return building;
    case ScopeLevel::kSite:
      return site;
  }
  return site;
}

uint64_t BuildingKey(uint64_t world, uint32_t building) {
  return Mix64(world ^ (uint64_t{building} << 42));
}

PlaceKeys PlaceKeysOf(uint64_t world, const Location& where) {
  PlaceKeys place;
  place.site = Mix64(world ^ 0x53495445ULL);  // "SITE"
  place.building = BuildingKey(world, where.building);
  place.floor = Mix64(place.building ^ (uint64_t{where.floor} << 21) ^ 0x464c4f4f52ULL);  // "FLOOR"
  place.room = Mix64(place.building ^ (uint64_t{where.floor} << 21) ^ where.room);
  place.where = where;
  return place;
}

}  // namespace iiot
