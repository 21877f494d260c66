// incidents.schedule: a list of {kind, scope, start, duration}, incidents at fixed times for
// reproducible scenarios. A list given by any source replaces the previous one.
#include <algorithm>
#include <charconv>
#include <set>

#include "base/edit_distance.h"
#include "config/config_loader.h"
#include "config/internal/key_kinds.h"

namespace iiot::config_keys {

namespace {

using text::Quote;
using text::Trim;

const std::vector<std::string> kFields = {"kind", "scope", "start", "duration"};
constexpr Millis kMaxScheduled{7 * 86'400'000LL};

std::string ItemPath(size_t index) { return fmt::format("incidents.schedule[{}]", index); }

ScheduledIncident ParseItem(const YAML::Node& item, size_t index) {
  const std::string path = ItemPath(index);
  if (!item.IsMap()) {
    throw ValueError("expected an incident {kind, scope, start, duration}", path, item.Mark());
  }
  ScheduledIncident s;
  std::set<std::string> seen;
  for (const auto& entry : item) {
    const std::string field = entry.first.IsScalar() ? entry.first.Scalar() : "";
    const std::string field_path = path + "." + field;
    const YAML::Node& value = entry.second;
    if (std::find(kFields.begin(), kFields.end(), field) == kFields.end()) {
      throw ValueError("unknown key" + DidYouMean(field, kFields), field_path, entry.first.Mark());
    }
    if (!seen.insert(field).second)
      throw ValueError("duplicate key", field_path, entry.first.Mark());
    try {
      const std::string text(Trim(ScalarText(SourceValue{&value, {}}, "text")));
      if (field == "kind") {
        if (!IncidentKindNamed(text, &s.kind)) {
          throw ValueError(Quote(text) + " is not one of hvac_failure|power_loss|network_outage");
        }
      } else if (field == "scope") {
        const std::optional<ScheduledIncident> scope = ParseIncidentScope(text);
        if (!scope) {
          throw ValueError(Quote(text) + " is not a scope (site, b3, b3-f2 or b3-f2-r14)");
        }
        s.scope = scope->scope;
        s.building = scope->building;
        s.floor = scope->floor;
        s.room = scope->room;
      } else if (field == "start") {
        Result<std::optional<UnixMillis>> t = ParseTimestamp(text);
        if (!t) throw ValueError(t.error().message);
        if (!*t) throw ValueError("expected a fixed time (ISO-8601 UTC), not now");
        s.start = **t;
      } else {
        Result<Millis> d = ParseDuration(text);
        if (!d) throw ValueError(d.error().message);
        if (*d <= Millis{0} || *d > kMaxScheduled) {
          throw ValueError(fmt::format("{} is out of range 1ms..7d", FormatDuration(*d)));
        }
        s.duration = *d;
      }
    } catch (const ValueError& e) {
      if (!e.path().empty()) throw;
      throw ValueError(e.what(), field_path, value.Mark());
    }
  }
  for (const std::string& required : kFields) {
    if (seen.count(required) == 0) {
      throw ValueError(fmt::format("missing {} (an incident needs kind, scope, start and "
                                   "duration)",
                                   required),
                       path, item.Mark());
    }
  }
  return s;
}

}  // namespace

Key ScheduleKey() {
  Key key;
  key.path = "incidents.schedule";
  key.type = "list of incidents";
  key.allowed = "{kind, scope, start, duration}";
  key.doc = "incidents at fixed times (scope: site, b3, b3-f2 or b3-f2-r14)";
  key.assign = [](Config& cfg, const SourceValue& v) {
    const YAML::Node node = v.node != nullptr ? *v.node : ParseInlineYaml(v.text);
    if (!node.IsDefined() || node.IsNull()) {
      cfg.incidents.schedule.clear();
      return;
    }
    if (!node.IsSequence()) {
      throw ValueError(fmt::format("expected a list of incidents, got {}",
                                   node.IsMap() ? "a map" : Quote(node.Scalar())));
    }
    std::vector<ScheduledIncident> schedule;
    for (size_t i = 0; i < node.size(); ++i) schedule.push_back(ParseItem(node[i], i));
    cfg.incidents.schedule = std::move(schedule);
  };
  key.check = [](const Config& cfg) {
    const FleetConfig& f = cfg.fleet;
    for (size_t i = 0; i < cfg.incidents.schedule.size(); ++i) {
      const ScheduledIncident& s = cfg.incidents.schedule[i];
      const std::string where = ItemPath(i) + ".scope";
      if (s.building > f.buildings) {
        throw ValueError(
            fmt::format("{} is beyond fleet.buildings ({})", IncidentScopeText(s), f.buildings),
            where);
      }
      if (s.floor > f.floors) {
        throw ValueError(
            fmt::format("{} is beyond fleet.floors ({})", IncidentScopeText(s), f.floors), where);
      }
      if (s.room > f.rooms) {
        throw ValueError(
            fmt::format("{} is beyond fleet.rooms ({})", IncidentScopeText(s), f.rooms), where);
      }
    }
  };
  key.show = [](const Config& cfg) {
    std::string out;
    for (const ScheduledIncident& s : cfg.incidents.schedule) {
      out +=
          fmt::format("\n- {{kind: {}, scope: {}, start: {}, duration: {}}}", Name(s.kind),
                      IncidentScopeText(s), FormatTimestamp(s.start), FormatDuration(s.duration));
    }
    return out.empty() ? std::string("[]") : out;
  };
  return key;
}

}  // namespace iiot::config_keys
