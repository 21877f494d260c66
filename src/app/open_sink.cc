#include "app/open_sink.h"

#include <spdlog/spdlog.h>

#include "sink/kafka_sink.h"
#include "sink/stream_sink.h"

namespace iiot {

namespace {

void LogFromSink(LogLevel level, std::string_view line) {
  switch (level) {
    case LogLevel::kDebug:
      spdlog::debug("{}", line);
      break;
    case LogLevel::kInfo:
      spdlog::info("{}", line);
      break;
    case LogLevel::kWarn:
      spdlog::warn("{}", line);
      break;
    case LogLevel::kError:
      spdlog::error("{}", line);
      break;
  }
}

template <typename T>
std::unique_ptr<T> Take(OpenResult<T> r) {
  if (!r) throw SinkOpenError(r.error, r.config_error);
  return std::move(r.value);
}

}  // namespace

std::unique_ptr<OpenedSink> OpenSink(const Config& cfg) {
  auto opened = std::make_unique<OpenedSink>();
  switch (cfg.output.sink) {
    case SinkKind::kStdout:
      opened->sink = Take(StreamSink::OpenStdout(cfg.output.format));
      return opened;
    case SinkKind::kFile:
      opened->sink = Take(StreamSink::OpenFile(cfg.output.file, cfg.output.format));
      return opened;
    case SinkKind::kKafka:
      break;
  }
  if (cfg.kafka.brokers.empty()) {
    opened->cluster = Take(EmbeddedCluster::Start(cfg.kafka, LogFromSink));
    spdlog::warn(
        "no brokers configured: using the embedded in-process Kafka cluster ({} brokers, topic "
        "{} with {} partitions); data stays in memory and is gone at exit. Set --brokers to "
        "produce to a real cluster.",
        cfg.kafka.embedded_brokers, cfg.kafka.topic, cfg.kafka.embedded_partitions);
  }
  opened->sink = Take(
      KafkaSink::Create(cfg.kafka, cfg.output.on_queue_full, LogFromSink, opened->cluster.get()));
  return opened;
}

}  // namespace iiot
