// Fleet: the device population of a run: ids, locations and profiles, all derived
// arithmetically from the device number (1..devices), so a million devices cost no
// per-device memory here. Immutable after construction; safe to share between threads.
//
// Example:
//   Fleet fleet(cfg);
//   char buf[Fleet::kMaxIdLength];
//   std::string_view id(buf, fleet.FormatId(42, buf));   // "plant1-b01-f01-r002-d00042"
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace iiot {

// 1-based position of a device in the site.
struct Location {
  uint32_t building = 1;
  uint32_t floor = 1;
  uint32_t room = 1;
  uint32_t site_room = 0;  // 0-based over the whole site: rooms of b01-f01, then b01-f02, ...
};

// A half-open range of device numbers [first, last).
struct DeviceRange {
  uint64_t first = 1;
  uint64_t last = 1;
  uint64_t size() const { return last - first; }
};

class Fleet {
 public:
  static constexpr size_t kMaxIdLength = 128;

  // cfg must be validated (config_loader.h). Copies what it needs.
  explicit Fleet(const Config& cfg);

  uint64_t size() const { return devices_; }
  const std::string& site() const { return site_; }
  const std::vector<Profile>& profiles() const { return profiles_; }

  // Profile index of a device: weighted by Profile::weight, stable for a device number
  // whatever the seed, thread count or shard.
  uint32_t ProfileIndex(uint64_t device) const;
  const Profile& ProfileOf(uint64_t device) const { return profiles_[ProfileIndex(device)]; }
  // The device's reporting interval (its profile's, or run.interval).
  Millis IntervalOf(uint64_t device) const;
  // Reports per second one device sends on average: each profile's 1 / interval (its own,
  // or `run_interval`) weighted by its share of the fleet.
  double ReportsPerDeviceSecond(Millis run_interval) const;
  // Devices fill rooms in order: 1..k in b01-f01-r001, the next k in r002, ... Device
  // numbers beyond size() (a fleet grown by hot reload) wrap around to the first rooms.
  Location LocationOf(uint64_t device) const;

  // Devices a room holds (the last rooms may hold fewer, or none).
  uint64_t per_room() const { return per_room_; }
  // The rooms of the site (buildings × floors × rooms).
  uint64_t room_count() const { return uint64_t{buildings_} * floors_ * rooms_; }

  // Writes the device id ("plant1-b03-f02-r014-d00042") into out, which has room for
  // kMaxIdLength chars; returns its length. Widths grow with the fleet's sizes.
  size_t FormatId(uint64_t device, char* out) const;
  std::string Id(uint64_t device) const;
  // Writes the name of the scope of `level` the device is in ("plant1", "b03", "b03-f02",
  // "b03-f02-r014": the site, or the id's parts after the site) into out (kMaxIdLength);
  // returns its length.
  size_t FormatScope(uint64_t device, ScopeLevel level, char* out) const;
  // "b03", "r014": the building and room names used in ids and messages.
  std::string_view BuildingName(uint32_t building) const;
  std::string_view RoomName(uint32_t room) const;

  // The slice of [1, devices] simulated by shard `index` of `count`: contiguous,
  // disjoint, and together exactly the fleet.
  static DeviceRange Shard(uint64_t devices, uint32_t index, uint32_t count);
  // The slice of [1, devices] of slice `index` of `size` devices each: devices
  // index * size + 1 .. (index + 1) * size, cut at the fleet's end (empty past it).
  static DeviceRange Slice(uint64_t devices, uint64_t index, uint64_t size);
  // The devices an instance running `run` simulates: its slice when run.slice_devices is
  // set, else its shard (the whole fleet by default).
  DeviceRange Simulated(const RunConfig& run) const;

 private:
  // Constant after construction.
  uint64_t devices_;
  std::string site_;
  uint32_t buildings_, floors_, rooms_;
  uint64_t per_room_;
  std::vector<Profile> profiles_;
  std::vector<double> cumulative_weight_;  // normalised to end at 1
  Millis default_interval_;
  std::vector<std::string> building_names_;  // index building-1
  std::vector<std::string> room_names_;      // index room-1
  int floor_width_, device_width_;
};

}  // namespace iiot
