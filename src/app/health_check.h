// `iiot-producer healthcheck`: asks a running instance's admin server for /healthz, at the
// address admin.addr names in the same config, environment and flags a run would read (a
// wildcard host, 0.0.0.0 or ::, is asked on the loopback). For a container's HEALTHCHECK
// or an orchestrator's exec probe, with no HTTP client in the image.
//
// Example:
//   return RunHealthCheck(cfg);  // 0: 200 ok; 1: no answer or not 200; 2: nothing to ask
#pragma once

#include "config/config.h"

namespace iiot {

// Prints one line (stdout when healthy, else stderr) and returns the exit code. Waits at
// most about 3 s.
int RunHealthCheck(const Config& cfg);

}  // namespace iiot
