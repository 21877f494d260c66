#include "app/open_sink.h"

#include <spdlog/spdlog.h>

#include "base/log_limiter.h"
#include "sink/kafka_sink.h"
#include "sink/stream_sink.h"

namespace iiot {

LogLimiter& SinkLogLimiter() {
  static LogLimiter limiter;
  return limiter;
}

namespace {

void LogFromSink(LogLevel level, std::string_view text) {
  const std::optional<std::string> admitted = SinkLogLimiter().Admit(text);
  if (!admitted) return;
  const std::string& line = *admitted;
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

Result<std::unique_ptr<OpenedSink>> OpenLabels(const Config& cfg,
                                               std::unique_ptr<OpenedSink> opened) {
  auto labels = LabelStream::Open(cfg, opened->cluster.get(), LogFromSink);
  if (!labels) return labels.error();
  opened->labels = std::move(*labels);
  if (opened->labels) spdlog::info("labels stream -> {}", opened->labels->Describe());
  return opened;
}

}  // namespace

Result<std::unique_ptr<OpenedSink>> OpenSink(const Config& cfg) {
  auto opened = std::make_unique<OpenedSink>();
  if (cfg.output.sink != SinkKind::kKafka) {
    auto stream = cfg.output.sink == SinkKind::kStdout
                      ? StreamSink::OpenStdout(cfg.output.format)
                      : StreamSink::OpenFile(cfg.output.file, cfg.output.format);
    if (!stream) return stream.error();
    opened->sink = std::move(*stream);
    return OpenLabels(cfg, std::move(opened));
  }
  if (cfg.kafka.brokers.empty()) {
    auto cluster = EmbeddedCluster::Start(cfg.kafka, LogFromSink);
    if (!cluster) return cluster.error();
    opened->cluster = std::move(*cluster);
    spdlog::warn(
        "no brokers configured: using the embedded in-process Kafka cluster ({} brokers, topic "
        "{} with {} partitions); data stays in memory and is gone at exit. Set --brokers to "
        "produce to a real cluster.",
        cfg.kafka.embedded_brokers, cfg.kafka.topic, cfg.kafka.embedded_partitions);
  }
  auto kafka =
      KafkaSink::Create(cfg.kafka, cfg.output.on_queue_full, LogFromSink, opened->cluster.get());
  if (!kafka) return kafka.error();
  opened->sink = std::move(*kafka);
  return OpenLabels(cfg, std::move(opened));
}

}  // namespace iiot
