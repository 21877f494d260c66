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

// Throws SinkOpenError. For real brokers, checks within kafka.message_timeout_ms (at most
// 30 s) that a broker answers and the topic exists, so a wrong address or a missing topic
// is a clear error at start rather than a stream of delivery failures.
std::unique_ptr<OpenedSink> OpenSink(const Config& cfg);

}  // namespace iiot
