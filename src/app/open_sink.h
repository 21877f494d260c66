// Opening the configured sink and the labels stream: Kafka (with the embedded in-process cluster
// when no brokers are configured, which is announced loudly because the data stays in memory),
// stdout or a file. Start-up work on the main thread.
#pragma once

#include <memory>

#include "base/log_limiter.h"
#include "base/result.h"
#include "config/config.h"
#include "labels/label_stream.h"
#include "sink/embedded_cluster.h"
#include "sink/sink.h"

namespace iiot {

// The sink and what it depends on; destroy in member order reversed (sink first).
struct OpenedSink {
  std::unique_ptr<EmbeddedCluster> cluster;  // only for the embedded default
  std::unique_ptr<Sink> sink;
  std::unique_ptr<LabelStream> labels;  // labels.topic / labels.file; null when off
};

// The limiter every line the sinks and the embedded cluster log goes through (a repeated
// line passes 5 times per 10 s; the rest is counted). Drain it at shutdown.
LogLimiter& SinkLogLimiter();

// The sink, or why it could not be opened (a config error means exit 2, else exit 1).
// Does not wait for real brokers: the run does that after its admin server is up
// (WaitForBroker), so /readyz can say what it is waiting for.
Result<std::unique_ptr<OpenedSink>> OpenSink(const Config& cfg);

}  // namespace iiot
