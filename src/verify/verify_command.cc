#include "verify/verify_command.h"

#include <algorithm>

#include "sink/kafka_conf.h"
#include "verify/topic_reader.h"

namespace iiot {

namespace {

// Decode's reasons quote the input; an example keeps this much of one.
constexpr size_t kMaxErrorChars = 200;

}  // namespace

TopicCheck::TopicCheck(const VerifyOptions& options) : options_(options) {}

void TopicCheck::Add(int32_t partition, int64_t offset, std::string_view key,
                     std::string_view value) {
  ++messages_;
  ++per_partition_[partition];
  if (!Decode(options_.format, value, &decoded_, &error_)) {
    ++unparsable_;
    if (examples_.size() < options_.unparsable_listed) {
      examples_.push_back({partition, offset, error_.substr(0, kMaxErrorChars)});
    }
    return;
  }
  tracker_.Add(decoded_.device_id, decoded_.seq, partition, key == decoded_.device_id);
  // A replayed reading says so in its label; how late it is, the partition tells.
  const auto newest = newest_ts_.try_emplace(partition, decoded_.ts).first;
  if (decoded_.incident_kind == Name(IncidentKind::kNetworkOutage)) {
    ++late_;
    late_max_ms_ = std::max(late_max_ms_, newest->second - decoded_.ts);
  }
  newest->second = std::max(newest->second, decoded_.ts);
}

VerifyReport TopicCheck::Report() const {
  VerifyReport r;
  r.topic = options_.kafka.topic;
  r.brokers = options_.bootstrap_override.empty() ? JoinBrokers(options_.kafka.brokers)
                                                  : options_.bootstrap_override;
  r.format = options_.format;
  r.expect = options_.expect;
  r.messages = messages_;
  r.unparsable = unparsable_;
  r.unparsable_examples = examples_;
  r.late = late_;
  r.late_max_ms = late_max_ms_;
  TrackerSummary s = tracker_.Summarize(options_.expect.per_device, options_.devices_listed,
                                        options_.ranges_per_device);
  r.totals = s.totals;
  r.worst = std::move(s.worst);
  for (const auto& [partition, n] : per_partition_) r.partitions.push_back({partition, 0, 0, n});
  return r;
}

VerifyReport VerifyTopic(const VerifyOptions& options, LogFn log) {
  const auto t0 = std::chrono::steady_clock::now();
  TopicCheck check(options);
  TopicReader reader(options.kafka, std::move(log), options.bootstrap_override);
  const Result<void> read =
      reader.Read([&check](int32_t partition, int64_t offset, std::string_view key,
                           std::string_view value) { check.Add(partition, offset, key, value); },
                  options.timeout);
  const auto t1 = std::chrono::steady_clock::now();

  VerifyReport r = check.Report();
  r.seconds = std::chrono::duration<double>(t1 - t0).count();
  if (!read) {
    r.error = read.error().message;
    r.config_error = read.error().config_error;
  }
  if (!reader.partitions().empty()) {  // every partition, with the offsets captured at start
    std::vector<PartitionStats> partitions;
    for (const PartitionRange& range : reader.partitions()) {
      PartitionStats p{range.partition, range.start, range.end, 0};
      for (const PartitionStats& counted : r.partitions) {
        if (counted.partition == range.partition) p.messages = counted.messages;
      }
      partitions.push_back(p);
    }
    r.partitions = std::move(partitions);
  }
  Judge(&r);
  return r;
}

}  // namespace iiot
