#include "config/config.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace iiot {

const char* Name(SensorType t) {
  switch (t) {
    case SensorType::kTemperature:
      return "temperature";
    case SensorType::kHumidity:
      return "humidity";
    case SensorType::kPressure:
      return "pressure";
    case SensorType::kSwitch:
      return "switch";
    case SensorType::kCurrent:
      return "current";
  }
  return "?";
}

const char* Unit(SensorType t) {
  switch (t) {
    case SensorType::kTemperature:
      return "C";
    case SensorType::kHumidity:
      return "%";
    case SensorType::kPressure:
      return "hPa";
    case SensorType::kSwitch:
      return "";
    case SensorType::kCurrent:
      return "A";
  }
  return "";
}

const char* Name(Mode m) {
  switch (m) {
    case Mode::kRealtime:
      return "realtime";
    case Mode::kRate:
      return "rate";
    case Mode::kMax:
      return "max";
    case Mode::kBackfill:
      return "backfill";
  }
  return "?";
}

const char* Name(Format f) { return f == Format::kJson ? "json" : "protobuf"; }

const char* Name(SinkKind s) {
  switch (s) {
    case SinkKind::kKafka:
      return "kafka";
    case SinkKind::kStdout:
      return "stdout";
    case SinkKind::kFile:
      return "file";
  }
  return "?";
}

const char* Name(IncidentKind k) {
  switch (k) {
    case IncidentKind::kHvacFailure:
      return "hvac_failure";
    case IncidentKind::kPowerLoss:
      return "power_loss";
    case IncidentKind::kNetworkOutage:
      return "network_outage";
  }
  return "?";
}

std::optional<ScheduledIncident> ParseIncidentScope(std::string_view text) {
  ScheduledIncident out;
  if (text == "site") return out;
  const char letters[] = {'b', 'f', 'r'};
  uint32_t* numbers[] = {&out.building, &out.floor, &out.room};
  const ScopeLevel levels[] = {ScopeLevel::kBuilding, ScopeLevel::kFloor, ScopeLevel::kRoom};
  for (size_t part = 0; part < 3; ++part) {
    if (text.empty() || text.front() != letters[part]) return std::nullopt;
    text.remove_prefix(1);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *numbers[part]);
    if (ec != std::errc() || end == text.data() || *numbers[part] == 0) return std::nullopt;
    text.remove_prefix(static_cast<size_t>(end - text.data()));
    out.scope = levels[part];
    if (text.empty()) return out;
    if (text.front() != '-') return std::nullopt;
    text.remove_prefix(1);
  }
  return std::nullopt;
}

std::string IncidentScopeText(const ScheduledIncident& s) {
  switch (s.scope) {
    case ScopeLevel::kSite:
      return "site";
    case ScopeLevel::kBuilding:
      return fmt::format("b{}", s.building);
    case ScopeLevel::kFloor:
      return fmt::format("b{}-f{}", s.building, s.floor);
    case ScopeLevel::kRoom:
      return fmt::format("b{}-f{}-r{}", s.building, s.floor, s.room);
  }
  return "site";
}

bool IncidentKindNamed(std::string_view name, IncidentKind* kind) {
  for (int i = 0; i < kIncidentKindCount; ++i) {
    if (name == Name(static_cast<IncidentKind>(i))) {
      *kind = static_cast<IncidentKind>(i);
      return true;
    }
  }
  return false;
}

Millis IncidentTail(IncidentKind kind) {
  return kind == IncidentKind::kHvacFailure ? Millis{75 * 60'000} : Millis{0};
}

int64_t IncidentSlot(const IncidentRate& rate, IncidentKind kind) {
  const int64_t longest = std::max(rate.max_duration.count(), rate.min_duration.count());
  // Half the longest incident again: room for its start to wander within the slot even when
  // every incident is as long as the longest.
  return longest + longest / 2 + IncidentTail(kind).count();
}

double MaxIncidentRate(const IncidentRate& rate, IncidentKind kind) {
  const int64_t slot = IncidentSlot(rate, kind);
  return slot > 0 ? 86'400'000.0 / static_cast<double>(slot) : 0.0;
}

const char* Name(ScopeLevel s) {
  switch (s) {
    case ScopeLevel::kRoom:
      return "room";
    case ScopeLevel::kFloor:
      return "floor";
    case ScopeLevel::kBuilding:
      return "building";
    case ScopeLevel::kSite:
      return "site";
  }
  return "?";
}

const char* Name(QueueFullPolicy p) { return p == QueueFullPolicy::kBlock ? "block" : "drop"; }

const char* Name(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "none";
    case Compression::kGzip:
      return "gzip";
    case Compression::kSnappy:
      return "snappy";
    case Compression::kLz4:
      return "lz4";
    case Compression::kZstd:
      return "zstd";
  }
  return "?";
}

std::vector<Profile> DefaultProfiles() {
  using S = SensorType;
  return {
      {"env-monitor", {S::kTemperature, S::kHumidity}, Millis{5000}, 4},
      {"boiler-room", {S::kTemperature, S::kPressure, S::kSwitch, S::kCurrent}, Millis{3000}, 2},
      {"pump", {S::kSwitch, S::kCurrent}, Millis{3000}, 2},
      {"weather-station", {S::kTemperature, S::kHumidity, S::kPressure}, Millis{10000}, 1},
      {"switchgear", {S::kSwitch}, Millis{10000}, 1},
  };
}

const std::vector<Profile>& EffectiveProfiles(const Config& cfg) {
  static const std::vector<Profile> defaults = DefaultProfiles();
  return cfg.fleet.profiles.empty() ? defaults : cfg.fleet.profiles;
}

}  // namespace iiot
