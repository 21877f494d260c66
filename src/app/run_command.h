// The simulator run: opens the sink (starting the embedded cluster when no brokers are
// configured), starts the admin server, waits for a Kafka broker (WaitForBroker, bounded
// by kafka.connect_timeout), runs the WorkerPool until --count, --duration, the end of a
// backfill or SIGINT/SIGTERM, flushes within kafka.flush_timeout_ms, prints the summary
// and returns the exit code (0 every message delivered, 1 any loss or runtime failure).
// Called once, from the main thread, before any other thread exists.
#pragma once

#include "config/config.h"
#include "config/config_loader.h"

namespace iiot {

// sources: where cfg came from, re-read on a config reload.
int RunProducer(const Config& cfg, const ConfigSources& sources);

}  // namespace iiot
