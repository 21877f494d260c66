#include "labels/label_stream.h"

#include "sink/kafka_sink.h"
#include "sink/stream_sink.h"

namespace iiot {

Result<std::unique_ptr<LabelStream>> LabelStream::Open(const Config& cfg,
                                                       const EmbeddedCluster* embedded, LogFn log) {
  std::vector<std::unique_ptr<Sink>> sinks;
  if (!cfg.labels.topic.empty()) {
    KafkaConfig kafka = cfg.kafka;
    kafka.topic = cfg.labels.topic;
    auto opened = KafkaSink::Create(kafka, QueueFullPolicy::kBlock, std::move(log), embedded);
    if (!opened) return opened.error();
    sinks.push_back(std::move(*opened));
  }
  if (!cfg.labels.file.empty()) {
    auto opened = StreamSink::OpenFile(cfg.labels.file, Format::kJson, "labels.file");
    if (!opened) return opened.error();
    sinks.push_back(std::move(*opened));
  }
  if (sinks.empty()) return std::unique_ptr<LabelStream>();
  return std::make_unique<LabelStream>(std::move(sinks));
}

LabelStream::LabelStream(std::vector<std::unique_ptr<Sink>> sinks) : sinks_(std::move(sinks)) {}

void LabelStream::Write(std::string_view key, std::string_view record) {
  written_.fetch_add(1, std::memory_order_relaxed);
  for (const auto& sink : sinks_) (void)sink->Send(key, record, 0);
}

void LabelStream::Interrupt() {
  for (const auto& sink : sinks_) sink->Interrupt();
}

bool LabelStream::Close(std::chrono::milliseconds timeout) {
  bool clean = true;
  for (const auto& sink : sinks_) clean = sink->Close(timeout) && clean;
  return clean && Lost() == 0;
}

uint64_t LabelStream::Lost() const {
  uint64_t lost = 0;
  for (const auto& sink : sinks_) {
    const DeliveryCounters& c = sink->counters();
    lost += c.FailedTotal() + c.dropped.load(std::memory_order_relaxed);
  }
  return lost;
}

std::string LabelStream::Describe() const {
  std::string out;
  for (const auto& sink : sinks_) {
    if (!out.empty()) out += ", ";
    out += sink->Describe();
  }
  return out;
}

}  // namespace iiot
