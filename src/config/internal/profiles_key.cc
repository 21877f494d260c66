// fleet.profiles: a list of {name, sensors, interval, weight}. A list given by any source
// replaces the previous one (the defaults, DefaultProfiles(), when none is given).
#include <algorithm>
#include <cmath>
#include <set>

#include "base/edit_distance.h"
#include "config/config_loader.h"
#include "config/internal/key_kinds.h"

namespace iiot::config_keys {

namespace {

using text::Quote;
using text::Trim;

constexpr double kMaxWeight = 1e6;
const std::vector<std::string> kProfileFields = {"name", "sensors", "interval", "weight"};

std::string SensorNames() {
  std::string names;
  for (int i = 0; i < kSensorTypeCount; ++i) {
    names += (i == 0 ? "" : "|") + std::string(Name(static_cast<SensorType>(i)));
  }
  return names;
}

std::string ItemPath(size_t index) { return fmt::format("fleet.profiles[{}]", index); }

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

// What is wrong with one profile, and in which of its fields.
struct ProfileProblem {
  std::string field;
  std::string message;
};

// Checks profile `index` on its own and against the ones before it.
std::optional<ProfileProblem> CheckProfile(const std::vector<Profile>& profiles, size_t index) {
  const Profile& p = profiles[index];
  if (p.name.empty() || p.name.size() > 64 ||
      !std::all_of(p.name.begin(), p.name.end(), IsNameChar)) {
    return ProfileProblem{"name", fmt::format("{} is not a valid profile name (1..64 characters "
                                              "of a-z A-Z 0-9 . _ -)",
                                              Quote(p.name))};
  }
  for (size_t k = 0; k < index; ++k) {
    if (profiles[k].name == p.name) {
      return ProfileProblem{
          "name", fmt::format("{} is already the name of {}", Quote(p.name), ItemPath(k))};
    }
  }
  if (p.sensors.empty()) return ProfileProblem{"sensors", "a profile needs at least one sensor"};
  std::set<SensorType> seen;
  for (SensorType s : p.sensors) {
    if (static_cast<int>(s) >= kSensorTypeCount) {
      return ProfileProblem{"sensors",
                            fmt::format("{} is not one of {}", static_cast<int>(s), SensorNames())};
    }
    if (!seen.insert(s).second) {
      return ProfileProblem{"sensors", fmt::format("{} is listed twice", Quote(Name(s)))};
    }
  }
  if (p.interval && (*p.interval < kMinInterval || *p.interval > kMaxInterval)) {
    return ProfileProblem{"interval",
                          fmt::format("{} is out of range {}..{}", FormatDuration(*p.interval),
                                      FormatDuration(kMinInterval), FormatDuration(kMaxInterval))};
  }
  if (!(p.weight > 0 && p.weight <= kMaxWeight)) {  // also catches NaN
    return ProfileProblem{"weight",
                          fmt::format("{} is out of range (0, {}]", text::FormatReal(p.weight),
                                      text::FormatReal(kMaxWeight))};
  }
  return std::nullopt;
}

std::vector<SensorType> ParseSensors(const YAML::Node& node, const std::string& path) {
  if (!node.IsSequence()) {
    throw ValueError("expected a list of sensor names (" + SensorNames() + ")", path, node.Mark());
  }
  std::vector<SensorType> sensors;
  for (size_t j = 0; j < node.size(); ++j) {
    const YAML::Node item = node[j];
    const std::string item_path = fmt::format("{}[{}]", path, j);
    const std::string name = item.IsScalar() ? std::string(Trim(item.Scalar())) : "";
    bool found = false;
    for (int t = 0; t < kSensorTypeCount && !found; ++t) {
      if (name == Name(static_cast<SensorType>(t))) {
        sensors.push_back(static_cast<SensorType>(t));
        found = true;
      }
    }
    if (!found) {
      throw ValueError(item.IsScalar()
                           ? fmt::format("{} is not one of {}", Quote(name), SensorNames())
                           : "expected a sensor name (" + SensorNames() + ")",
                       item_path, item.Mark());
    }
  }
  return sensors;
}

Profile ParseProfile(const YAML::Node& item, size_t index) {
  const std::string path = ItemPath(index);
  if (!item.IsMap()) {
    throw ValueError("expected a profile {name, sensors, interval, weight}", path, item.Mark());
  }
  Profile p;
  std::set<std::string> seen;
  for (const auto& entry : item) {
    const std::string field = entry.first.IsScalar() ? entry.first.Scalar() : "";
    const std::string field_path = path + "." + field;
    const YAML::Node& value = entry.second;
    if (std::find(kProfileFields.begin(), kProfileFields.end(), field) == kProfileFields.end()) {
      throw ValueError("unknown key" + DidYouMean(field, kProfileFields), field_path,
                       entry.first.Mark());
    }
    if (!seen.insert(field).second)
      throw ValueError("duplicate key", field_path, entry.first.Mark());
    try {
      if (field == "name") {
        p.name = Trim(ScalarText(SourceValue{&value, {}}, "string"));
      } else if (field == "sensors") {
        p.sensors = ParseSensors(value, field_path);
      } else if (field == "interval") {
        if (!IsEmptyValue(SourceValue{&value, {}})) {
          Result<Millis> d = ParseDuration(ScalarText(SourceValue{&value, {}}, "duration"));
          if (!d) throw ValueError(d.error().message);
          p.interval = *d;
        }
      } else {
        const std::string text = ScalarText(SourceValue{&value, {}}, "number");
        switch (text::ParseReal(text, p.weight)) {
          case text::ParseStatus::kOk:
            break;
          case text::ParseStatus::kNotFinite:
            throw ValueError(Quote(text) + " is not a finite number");
          default:
            throw ValueError(Quote(text) + " is not a number");
        }
      }
    } catch (const ValueError& e) {
      if (!e.path().empty()) throw;
      throw ValueError(e.what(), field_path, value.Mark());
    }
  }
  for (const char* required : {"name", "sensors"}) {
    if (seen.count(required) == 0) {
      throw ValueError(fmt::format("missing {} (a profile needs name and sensors)", required), path,
                       item.Mark());
    }
  }
  return p;
}

}  // namespace

Key ProfilesKey() {
  Key key;
  key.path = "fleet.profiles";
  key.type = "list of profiles";
  key.allowed = "{name, sensors, interval, weight}";
  key.doc = "kinds of devices; a list given replaces the default profiles";
  key.assign = [](Config& cfg, const SourceValue& v) {
    const YAML::Node node = v.node != nullptr ? *v.node : ParseInlineYaml(v.text);
    if (!node.IsDefined() || node.IsNull()) {
      throw ValueError(
          "missing value (expected a list of profiles; leave the key out for the "
          "default profiles)");
    }
    if (!node.IsSequence()) {
      throw ValueError(fmt::format("expected a list of profiles, got {}",
                                   node.IsMap() ? "a map" : Quote(node.Scalar())));
    }
    if (node.size() == 0) {
      throw ValueError(
          "an empty list leaves devices without a profile (leave the key out for the "
          "default profiles)");
    }
    std::vector<Profile> profiles;
    for (size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      profiles.push_back(ParseProfile(item, i));
      if (auto problem = CheckProfile(profiles, i)) {
        const YAML::Node field = item[problem->field];
        throw ValueError(problem->message, ItemPath(i) + "." + problem->field,
                         field.IsDefined() ? field.Mark() : item.Mark());
      }
    }
    cfg.fleet.profiles = std::move(profiles);
  };
  key.check = [](const Config& cfg) {
    if (cfg.fleet.profiles.empty()) {
      throw ValueError(
          "no profiles (at least one is needed; DefaultProfiles() gives the defaults)");
    }
    for (size_t i = 0; i < cfg.fleet.profiles.size(); ++i) {
      if (auto problem = CheckProfile(cfg.fleet.profiles, i)) {
        throw ValueError(problem->message, ItemPath(i) + "." + problem->field);
      }
    }
  };
  key.show = [](const Config& cfg) {
    std::string out;
    for (const Profile& p : cfg.fleet.profiles) {
      std::string sensors;
      for (SensorType s : p.sensors)
        sensors += (sensors.empty() ? "" : ", ") + std::string(Name(s));
      out += fmt::format("\n- {{name: {}, sensors: [{}]", text::YamlQuote(p.name), sensors);
      if (p.interval) out += ", interval: " + FormatDuration(*p.interval);
      out += ", weight: " + text::FormatReal(p.weight) + "}";
    }
    return out.empty() ? std::string("[]") : out;
  };
  return key;
}

}  // namespace iiot::config_keys
