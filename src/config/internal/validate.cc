// Checks that involve more than one key. Each message names every key involved.
#include <fmt/format.h>

#include "base/text.h"
#include "config/internal/sources.h"

namespace iiot::config_keys {

namespace {

using text::FormatReal;

std::string SensorKey(SensorType t, const char* field) {
  return fmt::format("sensors.{}.{}", Name(t), field);
}

void CheckSensor(SensorType t, const SensorParams& p) {
  if (t == SensorType::kSwitch) return;  // on/off: min, max, mean and threshold are fixed
  if (!(p.min < p.max)) {
    throw ConfigError(SensorKey(t, "min"), "",
                      fmt::format("{} is not below {} ({})", FormatReal(p.min), SensorKey(t, "max"),
                                  FormatReal(p.max)));
  }
  for (const auto& [field, value] :
       {std::pair{"mean", p.mean}, std::pair{"anomaly_threshold", p.anomaly_threshold}}) {
    if (value < p.min || value > p.max) {
      throw ConfigError(
          SensorKey(t, field), "",
          fmt::format("{} is outside {}..{} ({}..{})", FormatReal(value), SensorKey(t, "min"),
                      SensorKey(t, "max"), FormatReal(p.min), FormatReal(p.max)));
    }
  }
}

}  // namespace

void CheckCrossField(const Config& cfg) {
  for (int i = 0; i < kSensorTypeCount; ++i) {
    CheckSensor(static_cast<SensorType>(i), cfg.sensors.params[static_cast<size_t>(i)]);
  }

  const AnomalyConfig& a = cfg.anomalies;
  const double sum = a.spike + a.stuck + a.drift + a.dropout + a.chatter;
  if (sum > 1.0 + 1e-12) {
    throw ConfigError(
        "anomalies", "",
        fmt::format("anomalies.spike + stuck + drift + dropout + chatter = {} is more "
                    "than 1 (they are probabilities per message)",
                    FormatReal(sum)));
  }
  if (a.min_length > a.max_length) {
    throw ConfigError(
        "anomalies.min_length", "",
        fmt::format("{} is above anomalies.max_length ({})", a.min_length, a.max_length));
  }
  for (int i = 0; i < kIncidentKindCount; ++i) {
    const IncidentRate& r = cfg.incidents.kinds[static_cast<size_t>(i)];
    if (r.min_duration > r.max_duration) {
      const std::string prefix =
          std::string("incidents.") + Name(static_cast<IncidentKind>(i)) + ".";
      throw ConfigError(
          prefix + "min_duration", "",
          fmt::format("{} is above {}max_duration ({})", FormatDuration(r.min_duration), prefix,
                      FormatDuration(r.max_duration)));
    }
    const double most = MaxIncidentRate(r, static_cast<IncidentKind>(i));
    if (r.rate > most) {
      const std::string prefix =
          std::string("incidents.") + Name(static_cast<IncidentKind>(i)) + ".";
      const Millis tail = IncidentTail(static_cast<IncidentKind>(i));
      throw ConfigError(
          prefix + "rate", "",
          fmt::format("{} is above the most one scope can have ({:.2f} a day: one "
                      "per 1.5 x {}max_duration{})",
                      text::FormatReal(r.rate), most, prefix,
                      tail.count() > 0 ? " + the " + FormatDuration(tail) + " recovery" : ""));
    }
  }

  const RunConfig& run = cfg.run;
  if (run.shard_count > cfg.fleet.devices) {
    throw ConfigError("run.shard", "",
                      fmt::format("{}/{} has more shards than fleet.devices ({}): some would be "
                                  "empty",
                                  run.shard_index, run.shard_count, cfg.fleet.devices));
  }
  if (run.slice_devices == 0) {
    if (run.slice != 0) {
      throw ConfigError(
          "run.slice", "",
          fmt::format("{} needs run.slice_devices, the devices per slice", run.slice));
    }
  } else {
    if (run.shard_count != 1) {
      throw ConfigError("run.slice_devices", "",
                        "cannot be combined with run.shard: an instance simulates either a "
                        "shard (i/N) or a slice");
    }
    const uint64_t first = uint64_t{run.slice} * run.slice_devices + 1;
    if (first > cfg.fleet.devices) {
      const uint64_t slices = (cfg.fleet.devices + run.slice_devices - 1) / run.slice_devices;
      throw ConfigError(
          "run.slice", "",
          fmt::format("{} starts at device {}, past fleet.devices ({}): {} slices of {} cover "
                      "the fleet (0..{})",
                      run.slice, first, cfg.fleet.devices, slices, run.slice_devices, slices - 1));
    }
  }
  if (run.mode == Mode::kRate && !(run.rate > 0)) {
    throw ConfigError(
        "run.rate", "",
        fmt::format("{} must be above 0 when run.mode is rate", FormatReal(run.rate)));
  }
  if (run.mode == Mode::kBackfill) {
    if (!run.from) throw ConfigError("run.from", "", "required when run.mode is backfill");
    if (!run.to) throw ConfigError("run.to", "", "required when run.mode is backfill");
    if (*run.from >= *run.to) {
      throw ConfigError("run.from", "",
                        fmt::format("{} is not before run.to ({})", FormatTimestamp(*run.from),
                                    FormatTimestamp(*run.to)));
    }
  }

  if (cfg.output.sink == SinkKind::kFile && cfg.output.file.empty()) {
    throw ConfigError("output.file", "", "required when output.sink is file");
  }
  if (!cfg.output.file.empty() && cfg.output.sink != SinkKind::kFile) {
    throw ConfigError("output.file", "",
                      fmt::format("is set but output.sink is {}: nothing would be written there "
                                  "(set output.sink: file, or --sink file)",
                                  Name(cfg.output.sink)));
  }
  if (!cfg.labels.topic.empty() && cfg.output.sink != SinkKind::kKafka) {
    throw ConfigError("labels.topic", "",
                      fmt::format("needs output.sink kafka (the labels go to the run's cluster); "
                                  "with the {} sink use labels.file",
                                  Name(cfg.output.sink)));
  }
  if (cfg.output.payload_bytes > 0 && (!cfg.labels.topic.empty() || !cfg.labels.file.empty())) {
    throw ConfigError(!cfg.labels.topic.empty() ? "labels.topic" : "labels.file", "",
                      fmt::format("is set but output.payload_bytes is {}: with generation off "
                                  "there are no anomalies to label",
                                  cfg.output.payload_bytes));
  }
  if (!cfg.labels.file.empty() && cfg.output.sink == SinkKind::kFile &&
      cfg.labels.file == cfg.output.file) {
    throw ConfigError("labels.file", "", "is output.file too: give the labels a file of their own");
  }

  if (cfg.kafka.idempotence && cfg.kafka.acks != -1) {
    throw ConfigError(
        "kafka.acks", "",
        fmt::format("{} must be all (-1) when kafka.idempotence is true", cfg.kafka.acks));
  }
  CheckSecurity(cfg);
}

}  // namespace iiot::config_keys
