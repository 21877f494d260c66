// IncidentsApi: the admin endpoint /api/v1/incidents.
//   GET                     the incidents under way now over this instance's devices
//                           (random, scheduled and started here), with their phase
//   POST {kind, scope, duration, start?}   starts one (start: now by default; needs the token)
//   DELETE /{id}            ends one started here now (one not begun yet is dropped)
// Incidents started here join the schedule the workers follow, next to the config's
// (incidents.schedule): a reload of the file keeps them, and they are pure functions of
// time like every other, so labels, recovery and replay behave the same. They are not
// part of the configuration (/api/v1/config does not show them).
// Thread-safe: the endpoint runs on the admin server's threads, Apply on the reloader's.
#pragma once

#include <string_view>
#include <vector>

#include "admin/admin_server.h"
#include "base/mutex.h"
#include "config/config.h"
#include "engine/worker_pool.h"
#include "sim/fleet.h"
#include "sim/scope_index.h"

namespace iiot {

class IncidentsApi {
 public:
  // cfg: the running config; fleet and pool must outlive the api.
  IncidentsApi(const Config& cfg, const Fleet& fleet, WorkerPool& pool);

  // Hands `next` (a reloaded config) to the pool with the incidents started here added to
  // its schedule. The reloader's apply step.
  void Apply(const Config& next);

  AdminResponse Handle(const AdminRequest& request);

 private:
  AdminResponse List() const;
  AdminResponse Start(std::string_view body);
  AdminResponse End(std::string_view id);
  void ApplyLocked() REQUIRES(mu_);

  // Constant after construction.
  WorkerPool& pool_;
  const FleetConfig sizes_;
  const ScopeIndex scopes_;  // the scopes holding this instance's devices

  mutable Mutex mu_;
  Config base_ GUARDED_BY(mu_);                             // the config as last applied
  std::vector<ScheduledIncident> started_ GUARDED_BY(mu_);  // through POST, ids set
};

}  // namespace iiot
