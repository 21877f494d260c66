#include "sim/fleet.h"

#include <algorithm>
#include <cstring>

#include "sim/rng.h"

namespace iiot {

namespace {

int Digits(uint64_t n) {
  int d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

// Writes n in decimal, left-padded with zeros to at least `width` digits; returns the end.
char* WritePadded(char* out, uint64_t n, int width) {
  const int digits = std::max(width, Digits(n));
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + n % 10);
    n /= 10;
  }
  return out + digits;
}

std::string PaddedName(char prefix, uint64_t n, int width) {
  char buf[24];
  buf[0] = prefix;
  const char* end = WritePadded(buf + 1, n, width);
  return std::string(buf, static_cast<size_t>(end - buf));
}

// The longest id suffix "-bNN-fNN-rNNN-dNNNNN": four separators, four prefixes, and
// numbers of at most 10 (uint32) or 20 (uint64) digits.
constexpr size_t kMaxSuffixLength = 4 * 2 + 3 * 10 + 20;

}  // namespace

Fleet::Fleet(const Config& cfg)
    : devices_(cfg.fleet.devices),
      site_(cfg.fleet.site.substr(0, kMaxIdLength - kMaxSuffixLength)),
      buildings_(std::max<uint32_t>(cfg.fleet.buildings, 1)),
      floors_(std::max<uint32_t>(cfg.fleet.floors, 1)),
      rooms_(std::max<uint32_t>(cfg.fleet.rooms, 1)),
      profiles_(EffectiveProfiles(cfg)),
      default_interval_(cfg.run.interval) {
  const uint64_t room_count = uint64_t{buildings_} * floors_ * rooms_;
  per_room_ = std::max<uint64_t>(1, (devices_ + room_count - 1) / room_count);

  double total = 0;
  for (const Profile& p : profiles_) total += std::max(p.weight, 0.0);
  cumulative_weight_.reserve(profiles_.size());
  double running = 0;
  for (const Profile& p : profiles_) {
    // All weights zero (or negative): equal shares rather than no profile at all.
    running +=
        total > 0 ? std::max(p.weight, 0.0) / total : 1.0 / static_cast<double>(profiles_.size());
    cumulative_weight_.push_back(running);
  }
  if (!cumulative_weight_.empty()) cumulative_weight_.back() = 1.0;

  const int building_width = std::max(2, Digits(buildings_));
  const int room_width = std::max(3, Digits(rooms_));
  floor_width_ = std::max(2, Digits(floors_));
  device_width_ = std::max(5, Digits(devices_));
  building_names_.reserve(buildings_);
  for (uint32_t b = 1; b <= buildings_; ++b)
    building_names_.push_back(PaddedName('b', b, building_width));
  room_names_.reserve(rooms_);
  for (uint32_t r = 1; r <= rooms_; ++r) room_names_.push_back(PaddedName('r', r, room_width));
}

uint32_t Fleet::ProfileIndex(uint64_t device) const {
  // Stateless and seed-independent: a device keeps its profile across runs and shards.
  const double u = ToUnit(Mix64(device));
  const auto it = std::upper_bound(cumulative_weight_.begin(), cumulative_weight_.end(), u);
  const auto index = static_cast<size_t>(it - cumulative_weight_.begin());
  return static_cast<uint32_t>(std::min(index, profiles_.size() - 1));
}

Millis Fleet::IntervalOf(uint64_t device) const {
  return ProfileOf(device).interval.value_or(default_interval_);
}

double Fleet::ReportsPerDeviceSecond(Millis run_interval) const {
  double weight_sum = 0, per_s = 0;
  for (const Profile& p : profiles_) weight_sum += p.weight;
  for (const Profile& p : profiles_) {
    const double interval_s =
        static_cast<double>(p.interval.value_or(run_interval).count()) / 1000.0;
    per_s += p.weight / weight_sum / interval_s;
  }
  return per_s;
}

Location Fleet::LocationOf(uint64_t device) const {
  // 0-based over the whole site. Devices beyond the fleet's size at construction (added
  // by a hot reload) wrap around to the first rooms again, so they stay on the site.
  const uint64_t room_count = uint64_t{buildings_} * floors_ * rooms_;
  const uint64_t room_index = (device - 1) / per_room_ % room_count;
  Location loc;
  loc.site_room = static_cast<uint32_t>(room_index);
  loc.room = static_cast<uint32_t>(room_index % rooms_) + 1;
  loc.floor = static_cast<uint32_t>(room_index / rooms_ % floors_) + 1;
  loc.building = static_cast<uint32_t>(room_index / rooms_ / floors_) + 1;
  return loc;
}

size_t Fleet::FormatId(uint64_t device, char* out) const {
  const Location loc = LocationOf(device);
  char* p = out;
  std::memcpy(p, site_.data(), site_.size());
  p += site_.size();
  *p++ = '-';
  const std::string_view building = BuildingName(loc.building);
  std::memcpy(p, building.data(), building.size());
  p += building.size();
  *p++ = '-';
  *p++ = 'f';
  p = WritePadded(p, loc.floor, floor_width_);
  *p++ = '-';
  const std::string_view room = RoomName(loc.room);
  std::memcpy(p, room.data(), room.size());
  p += room.size();
  *p++ = '-';
  *p++ = 'd';
  p = WritePadded(p, device, device_width_);
  return static_cast<size_t>(p - out);
}

size_t Fleet::FormatScope(uint64_t device, ScopeLevel level, char* out) const {
  if (level == ScopeLevel::kSite) {
    std::memcpy(out, site_.data(), site_.size());
    return site_.size();
  }
  char id[kMaxIdLength];
  const size_t length = FormatId(device, id);
  // After "<site>-": building, floor, room, device, separated by '-'; keep 1, 2 or 3 parts.
  const size_t parts = level == ScopeLevel::kBuilding ? 1 : level == ScopeLevel::kFloor ? 2 : 3;
  const size_t start = site_.size() + 1;
  size_t end = start, seen = 0;
  while (end < length) {
    if (id[end] == '-' && ++seen == parts) break;
    ++end;
  }
  std::memcpy(out, id + start, end - start);
  return end - start;
}

std::string Fleet::Id(uint64_t device) const {
  char buf[kMaxIdLength];
  return std::string(buf, FormatId(device, buf));
}

std::string_view Fleet::BuildingName(uint32_t building) const {
  if (building == 0 || building > building_names_.size()) return {};
  return building_names_[building - 1];
}

std::string_view Fleet::RoomName(uint32_t room) const {
  if (room == 0 || room > room_names_.size()) return {};
  return room_names_[room - 1];
}

DeviceRange Fleet::Slice(uint64_t devices, uint64_t index, uint64_t size) {
  const uint64_t first = std::min(index * size, devices) + 1;
  return {first, std::min(first + size, devices + 1)};
}

DeviceRange Fleet::Simulated(const RunConfig& run) const {
  if (run.slice_devices > 0) return Slice(devices_, run.slice, run.slice_devices);
  return Shard(devices_, run.shard_index, run.shard_count);
}

DeviceRange Fleet::Shard(uint64_t devices, uint32_t index, uint32_t count) {
  if (count == 0) count = 1;
  index = std::min(index, count);  // past the end: an empty range
  // Sizes differ by at most one: the first `rest` shards take one device more.
  const uint64_t base = devices / count, rest = devices % count;
  const auto start = [&](uint64_t i) { return 1 + i * base + std::min<uint64_t>(i, rest); };
  return {start(index), start(std::min<uint64_t>(index + 1, count))};
}

}  // namespace iiot
