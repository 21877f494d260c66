// Opening the configured sink: Kafka (with the embedded in-process cluster when no
// brokers are configured, which is announced loudly because the data stays in memory),
// stdout or a file. Start-up work on the main thread.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include "config/config.h"
#include "sink/embedded_cluster.h"
#include "sink/sink.h"

namespace iiot {

// The sink and what it depends on; destroy in member order reversed (sink first).
struct OpenedSink {
  std::unique_ptr<EmbeddedCluster> cluster;  // only for the embedded default
  std::unique_ptr<Sink> sink;
};

// Why the sink could not be opened; config_error() means exit 2, else exit 1.
class SinkOpenError : public std::runtime_error {
 public:
  SinkOpenError(const std::string& what, bool config_error)
      : std::runtime_error(what), config_error_(config_error) {}
  bool config_error() const { return config_error_; }

 private:
  bool config_error_;
};

// Throws SinkOpenError. Does not wait for real brokers: the run does that after its admin
// server is up (WaitForBroker), so /readyz can say what it is waiting for.
std::unique_ptr<OpenedSink> OpenSink(const Config& cfg);

}  // namespace iiot
