#include "app/incidents_api.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "base/iso_time.h"
#include "config/config_loader.h"
#include "sim/incidents.h"

namespace iiot {

namespace {

using Json = nlohmann::ordered_json;

AdminResponse Reply(int status, const Json& body) {
  return {status, "application/json", body.dump(2) + "\n"};
}

AdminResponse Problem(int status, std::string_view code, const std::string& message) {
  return Reply(status, {{"error", code}, {"message", message}});
}

Json Describe(const Incident& in, IncidentKind kind, const FleetScope& scope, UnixMillis now,
              std::string_view source) {
  return {{"id", IncidentIdText(in.id)},
          {"kind", Name(kind)},
          {"scope", scope.name},
          {"scope_level", Name(scope.level)},
          {"devices", scope.devices},
          {"phase", now < in.start ? "scheduled"
                    : now < in.end ? "active"
                                   : "recovery"},
          {"start_ts", IsoMillisText(in.start)},
          {"end_ts", IsoMillisText(in.end)},
          {"recovered_ts", IsoMillisText(in.tail_end)},
          {"source", source}};
}

}  // namespace

IncidentsApi::IncidentsApi(const Config& cfg, const Fleet& fleet, WorkerPool& pool)
    : pool_(pool),
      sizes_(cfg.fleet),
      scopes_(fleet, cfg.fleet, cfg.run.seed, fleet.Simulated(cfg.run)),
      base_(cfg) {}

void IncidentsApi::Apply(const Config& next) {
  MutexLock lock(&mu_);
  base_ = next;
  ApplyLocked();
}

void IncidentsApi::ApplyLocked() {
  Config merged = base_;
  merged.incidents.schedule.insert(merged.incidents.schedule.end(), started_.begin(),
                                   started_.end());
  pool_.Apply(merged);
}

AdminResponse IncidentsApi::Handle(const AdminRequest& request) {
  if (request.method == "GET") return List();
  if (request.method == "POST") return Start(request.body);
  return End(request.item);
}

AdminResponse IncidentsApi::List() const {
  const UnixMillis now = pool_.Now();
  const IncidentsConfig incidents = pool_.Settings()->params.incidents;
  Json list = Json::array();
  for (const ScheduledIncident& s : incidents.schedule) {
    const FleetScope* scope = scopes_.Find(s.scope, {s.building, s.floor, s.room, 0});
    const Incident in = ScheduledAt(s, scopes_.site_key());
    if (scope == nullptr || now >= in.tail_end) continue;
    if (in.start > now && s.id == 0) continue;  // the config's future ones: see /api/v1/config
    list.push_back(Describe(in, s.kind, *scope, now, s.id != 0 ? "api" : "schedule"));
  }
  for (int k = 0; k < kIncidentKindCount; ++k) {
    const auto kind = static_cast<IncidentKind>(k);
    const IncidentRate& rate = incidents.kinds[static_cast<size_t>(k)];
    if (rate.rate <= 0) continue;
    for (const FleetScope& scope : scopes_.Of(rate.scope)) {
      const Incident in = RandomIncident(rate, kind, scope.keys.Of(rate.scope), now);
      if (in.id != 0) list.push_back(Describe(in, kind, scope, now, "random"));
    }
  }
  return Reply(200, {{"now", IsoMillisText(now)}, {"incidents", std::move(list)}});
}

AdminResponse IncidentsApi::Start(std::string_view body) {
  const Json j = Json::parse(body, nullptr, false);
  if (!j.is_object()) {
    return Problem(400, "bad_request",
                   R"(expected a JSON object {"kind", "scope", "duration", "start"?})");
  }
  for (const auto& [key, value] : j.items()) {
    if (key != "kind" && key != "scope" && key != "duration" && key != "start") {
      return Problem(422, "invalid",
                     "unknown field \"" + key + "\" (kind, scope, duration, start)");
    }
    if (!value.is_string()) return Problem(422, "invalid", key + ": expected a string");
  }
  for (const char* required : {"kind", "scope", "duration"}) {
    if (!j.contains(required)) return Problem(422, "invalid", std::string(required) + ": missing");
  }
  ScheduledIncident s;
  const std::string kind = j["kind"];
  if (!IncidentKindNamed(kind, &s.kind)) {
    return Problem(422, "invalid",
                   "kind: \"" + kind + "\" is not one of hvac_failure|power_loss|network_outage");
  }
  const std::string scope_text = j["scope"];
  const std::optional<ScheduledIncident> scope = ParseIncidentScope(scope_text);
  if (!scope) {
    return Problem(422, "invalid",
                   "scope: \"" + scope_text + "\" is not a scope (site, b3, b3-f2 or b3-f2-r14)");
  }
  s.scope = scope->scope;
  s.building = scope->building;
  s.floor = scope->floor;
  s.room = scope->room;
  if (s.building > sizes_.buildings || s.floor > sizes_.floors || s.room > sizes_.rooms) {
    return Problem(422, "invalid",
                   fmt::format("scope: {} is beyond the fleet ({} buildings, {} floors, {} rooms)",
                               scope_text, sizes_.buildings, sizes_.floors, sizes_.rooms));
  }
  const Result<Millis> duration = ParseDuration(j["duration"].get<std::string>());
  if (!duration || *duration < Millis{1000} || *duration > Millis{7 * 86'400'000LL}) {
    return Problem(
        422, "invalid",
        "duration: " + (duration ? std::string("must be 1s..7d") : duration.error().message));
  }
  s.duration = *duration;
  s.start = pool_.Now();
  if (j.contains("start")) {
    const Result<std::optional<UnixMillis>> start = ParseTimestamp(j["start"]);
    if (!start) return Problem(422, "invalid", "start: " + start.error().message);
    if (*start) s.start = **start;
  }
  if (s.start + s.duration.count() <= pool_.Now()) {
    return Problem(422, "invalid", "start: the incident would be over already");
  }
  s.id = ScheduledAt(s, scopes_.site_key()).id;  // fixed now: ending it keeps its id
  MutexLock lock(&mu_);
  if (std::any_of(started_.begin(), started_.end(),
                  [&s](const ScheduledIncident& o) { return o.id == s.id; })) {
    return Problem(409, "exists",
                   "this incident was started already (id " + IncidentIdText(s.id) + ")");
  }
  started_.push_back(s);
  ApplyLocked();
  const Incident in = ScheduledAt(s, scopes_.site_key());
  return Reply(201, {{"id", IncidentIdText(in.id)},
                     {"kind", Name(s.kind)},
                     {"scope", IncidentScopeText(s)},
                     {"start_ts", IsoMillisText(in.start)},
                     {"end_ts", IsoMillisText(in.end)},
                     {"recovered_ts", IsoMillisText(in.tail_end)}});
}

AdminResponse IncidentsApi::End(std::string_view id_text) {
  uint64_t id = 0;
  const auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id, 16);
  if (ec != std::errc() || end != id_text.data() + id_text.size() || id_text.size() != 16) {
    return Problem(404, "not_found", "an incident id is 16 hex digits");
  }
  const UnixMillis now = pool_.Now();
  MutexLock lock(&mu_);
  const auto it = std::find_if(started_.begin(), started_.end(),
                               [id](const ScheduledIncident& s) { return s.id == id; });
  if (it == started_.end()) {
    return Problem(404, "not_found",
                   "no incident " + std::string(id_text) +
                       " was started through this API (scheduled ones end by editing "
                       "incidents.schedule, random ones by their rate)");
  }
  if (now >= it->start + it->duration.count()) {
    return Problem(409, "over", "incident " + std::string(id_text) + " is over already");
  }
  Json body = {{"id", IncidentIdText(id)}};
  if (now < it->start) {
    started_.erase(it);
    body["ended_ts"] = nullptr;  // it never began
  } else {
    it->duration = Millis{std::max<int64_t>(1, now - it->start)};
    body["ended_ts"] = IsoMillisText(it->start + it->duration.count());
  }
  ApplyLocked();
  return Reply(200, body);
}

}  // namespace iiot
