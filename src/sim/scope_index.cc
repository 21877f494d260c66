#include "sim/scope_index.h"

#include <algorithm>

#include "sim/plant.h"

namespace iiot {

ScopeIndex::ScopeIndex(const Fleet& fleet, const FleetConfig& sizes, uint64_t seed,
                       DeviceRange slice)
    : floors_(sizes.floors) {
  const uint64_t world = PlantWorld(seed);
  site_key_ = PlaceKeysOf(world, {}).site;
  const uint64_t devices = fleet.size();
  const uint64_t per_room = fleet.per_room();
  const uint64_t occupied = std::min(fleet.room_count(), (devices + per_room - 1) / per_room);
  rooms_per_group_ = {1, sizes.rooms, uint64_t{sizes.rooms} * sizes.floors, fleet.room_count()};
  for (size_t level = 0; level < scopes_.size(); ++level) {
    const uint64_t rooms = rooms_per_group_[level];
    for (uint64_t g = 0; g * rooms < occupied; ++g) {
      const uint64_t first = g * rooms * per_room + 1;
      const uint64_t end = std::min(devices, (g + 1) * rooms * per_room) + 1;  // past the last
      if (end <= slice.first || first >= slice.last) continue;  // none of the slice's
      if (scopes_[level].empty()) first_group_[level] = g;
      FleetScope scope;
      scope.level = static_cast<ScopeLevel>(level);
      scope.keys = PlaceKeysOf(world, fleet.LocationOf(first));
      char name[Fleet::kMaxIdLength];
      scope.name.assign(name, fleet.FormatScope(first, scope.level, name));
      scope.devices = end - first;
      scope.first_is_ours = first >= slice.first && first < slice.last;
      scopes_[level].push_back(std::move(scope));
    }
  }
}

const FleetScope* ScopeIndex::Find(ScopeLevel level, const Location& where) const {
  const auto index = [](uint32_t n) { return n == 0 ? uint64_t{0} : uint64_t{n} - 1; };
  const uint64_t room =
      (index(where.building) * floors_ + index(where.floor)) * rooms_per_group_[1] +
      index(where.room);
  const auto l = static_cast<size_t>(level);
  const uint64_t group = room / rooms_per_group_[l];
  if (group < first_group_[l] || group - first_group_[l] >= scopes_[l].size()) return nullptr;
  return &scopes_[l][group - first_group_[l]];
}

}  // namespace iiot
