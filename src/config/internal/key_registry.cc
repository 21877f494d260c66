// The table itself: every key of config.h, its range and its one-line doc.
#include "config/internal/key_registry.h"

#include <algorithm>
#include <limits>

#include "config/internal/key_kinds.h"

namespace iiot::config_keys {

namespace {

constexpr uint32_t kMaxInt32 = 2'147'483'647;
constexpr uint32_t kMaxDevices = 10'000'000;  // fleet.devices
constexpr double kBig = 1e9;  // bound on physical sensor values, far beyond any real unit

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

std::optional<std::string> SiteRule(std::string_view s) {
  if (s.empty() || s.size() > 64 || !std::all_of(s.begin(), s.end(), IsNameChar)) {
    return "is not a valid site name (1..64 characters of a-z A-Z 0-9 . _ -)";
  }
  return std::nullopt;
}

std::optional<std::string> TopicRule(std::string_view s) {
  if (s.empty() || s.size() > 249 || s == "." || s == ".." ||
      !std::all_of(s.begin(), s.end(), IsNameChar)) {
    return "is not a valid Kafka topic name (1..249 characters of a-z A-Z 0-9 . _ -, not . or ..)";
  }
  return std::nullopt;
}

std::optional<std::string> LabelsTopicRule(std::string_view s) {
  if (s.empty()) return std::nullopt;  // off
  return TopicRule(s);
}

std::optional<std::string> ClientIdRule(std::string_view s) {
  if (s.empty() || s.size() > 255 || text::HasControl(s)) {
    return "is not a valid client id (1..255 printable characters)";
  }
  return std::nullopt;
}

constexpr const char* kLogLevels = "trace|debug|info|warn|error|off";

std::optional<std::string> LogLevelRule(std::string_view s) {
  for (std::string_view level : {"trace", "debug", "info", "warn", "error", "off"}) {
    if (s == level) return std::nullopt;
  }
  return std::string("is not one of ") + kLogLevels;
}

// sensors.<type>.<field>: the parameters that mean something for the type.
void AddSensorKeys(std::vector<Key>& keys) {
  const RealRange value{-kBig, kBig};
  const RealRange positive{0, kBig};
  const RealRange unit{0, 1};
  for (int i = 0; i < kSensorTypeCount; ++i) {
    const auto type = static_cast<SensorType>(i);
    const std::string prefix = std::string("sensors.") + Name(type) + ".";
    auto field = [i](double SensorParams::*f) {
      return SlotOf(
          [ i, f ](auto& c) -> auto& { return c.sensors.params[static_cast<size_t>(i)].*f; });
    };
    if (type == SensorType::kSwitch) {
      keys.push_back(RealKey(prefix + "cycle_amplitude", field(&SensorParams::cycle_amplitude),
                             unit, "how far the usage pattern moves p(on) over the day"));
      keys.push_back(RealKey(prefix + "p_on", field(&SensorParams::p_on), unit,
                             "stationary probability that the switch is on"));
      keys.push_back(
          RealKey(prefix + "stickiness", field(&SensorParams::stickiness), unit,
                  "probability the state is kept over 5 s (the chain runs in continuous time)"));
      continue;
    }
    keys.push_back(RealKey(prefix + "mean", field(&SensorParams::mean), value,
                           std::string("the fleet's mean over time (") + Unit(type) + ")"));
    keys.push_back(RealKey(prefix + "stddev", field(&SensorParams::stddev), positive,
                           "the fleet's standard deviation over devices and time"));
    keys.push_back(RealKey(prefix + "min", field(&SensorParams::min), value,
                           "lowest value (physical limit; normal readings stay clear of it)"));
    keys.push_back(RealKey(prefix + "max", field(&SensorParams::max), value, "highest value"));
    keys.push_back(RealKey(prefix + "cycle_amplitude", field(&SensorParams::cycle_amplitude),
                           positive,
                           "amplitude of the type's main cycle (day, season, fronts, week)"));
    keys.push_back(
        RealKey(prefix + "anomaly_threshold", field(&SensorParams::anomaly_threshold), value,
                type == SensorType::kHumidity ? "spike anomalies land below this value"
                                              : "spike anomalies land above this value"));
  }
}

// incidents.schedule, incidents.<kind>.{rate,scope,min_duration,max_duration},
// incidents.network_outage.{replay,buffer}.
void AddIncidentKeys(std::vector<Key>& keys) {
  keys.push_back(ScheduleKey());
  for (int i = 0; i < kIncidentKindCount; ++i) {
    const std::string prefix = std::string("incidents.") + Name(static_cast<IncidentKind>(i)) + ".";
    auto field = [i]<class T>(T IncidentRate::*f) {
      return SlotOf(
          [ i, f ](auto& c) -> auto& { return c.incidents.kinds[static_cast<size_t>(i)].*f; });
    };
    keys.push_back(RealKey(prefix + "rate", field(&IncidentRate::rate), {0, 1000},
                           "incidents per scope per simulated day (0: none at random)"));
    keys.push_back(
        ChoiceKey(prefix + "scope", field(&IncidentRate::scope),
                  {ScopeLevel::kRoom, ScopeLevel::kFloor, ScopeLevel::kBuilding, ScopeLevel::kSite},
                  "what one incident covers"));
    keys.push_back(DurationKey(prefix + "min_duration", field(&IncidentRate::min_duration),
                               Millis{1000}, Millis{7 * 86'400'000LL}, "shortest incident"));
    keys.push_back(DurationKey(prefix + "max_duration", field(&IncidentRate::max_duration),
                               Millis{1000}, Millis{7 * 86'400'000LL}, "longest incident"));
  }
  keys.push_back(BoolKey("incidents.network_outage.replay",
                         SlotOf([](auto& c) -> auto& { return c.incidents.replay; }),
                         "devices send what they measured during an outage once it ends"));
  keys.push_back(UnsignedKey("incidents.network_outage.buffer",
                             SlotOf([](auto& c) -> auto& { return c.incidents.replay_buffer; }), 1u,
                             1'000'000u,
                             "readings a device holds for the replay (the oldest go first)"));
}

std::vector<Key> BuildKeys() {
  using Ms = Millis;
  constexpr Ms kCentury{36'500LL * 86'400'000};
  const RealRange unit{0, 1};
  std::vector<Key> k;

  k.push_back(UnsignedKey("fleet.devices", Member(&Config::fleet, &FleetConfig::devices),
                          uint64_t{1}, uint64_t{kMaxDevices}, "number of devices, ids 1..devices"));
  k.push_back(TextKey("fleet.site", Member(&Config::fleet, &FleetConfig::site), SiteRule,
                      "1..64 of a-z A-Z 0-9 . _ -",
                      "site name, the first part of every device id"));
  k.push_back(UnsignedKey("fleet.buildings", Member(&Config::fleet, &FleetConfig::buildings), 1u,
                          1000u, "buildings on the site"));
  k.push_back(UnsignedKey("fleet.floors", Member(&Config::fleet, &FleetConfig::floors), 1u, 1000u,
                          "floors per building"));
  k.push_back(UnsignedKey("fleet.rooms", Member(&Config::fleet, &FleetConfig::rooms), 1u, 10'000u,
                          "rooms per floor"));
  k.push_back(ProfilesKey());

  k.push_back(RealKey("sensors.ema_alpha", Member(&Config::sensors, &SensorsConfig::ema_alpha),
                      {0, 1, true},
                      "no effect (kept so old files load): noise memory is a time constant now"));
  k.push_back(RealKey("sensors.data_variation",
                      Member(&Config::sensors, &SensorsConfig::data_variation), {0, 100},
                      "multiplies every stddev"));
  k.push_back(BoolKey("sensors.trend_enabled",
                      Member(&Config::sensors, &SensorsConfig::trend_enabled),
                      "slow changes (cycles, drift) on or off"));
  k.push_back(RealKey("sensors.trend_strength",
                      Member(&Config::sensors, &SensorsConfig::trend_strength), {0, 100},
                      "multiplies every cycle_amplitude"));
  AddSensorKeys(k);

  k.push_back(RealKey("anomalies.spike", Member(&Config::anomalies, &AnomalyConfig::spike), unit,
                      "probability per message that a spike starts"));
  k.push_back(RealKey("anomalies.stuck", Member(&Config::anomalies, &AnomalyConfig::stuck), unit,
                      "probability per message that a stuck-value episode starts"));
  k.push_back(RealKey("anomalies.drift", Member(&Config::anomalies, &AnomalyConfig::drift), unit,
                      "probability per message that a drift episode starts"));
  k.push_back(RealKey("anomalies.dropout", Member(&Config::anomalies, &AnomalyConfig::dropout),
                      unit, "probability per message that a dropout episode starts"));
  k.push_back(RealKey("anomalies.chatter", Member(&Config::anomalies, &AnomalyConfig::chatter),
                      unit, "probability per message that a switch-chatter episode starts"));
  k.push_back(UnsignedKey("anomalies.min_length",
                          Member(&Config::anomalies, &AnomalyConfig::min_length), 1u, 1'000'000u,
                          "shortest episode, in messages"));
  k.push_back(UnsignedKey("anomalies.max_length",
                          Member(&Config::anomalies, &AnomalyConfig::max_length), 1u, 1'000'000u,
                          "longest episode, in messages"));

  AddIncidentKeys(k);

  k.push_back(ChoiceKey("run.mode", Member(&Config::run, &RunConfig::mode),
                        {Mode::kRealtime, Mode::kRate, Mode::kMax, Mode::kBackfill},
                        "how the clock advances"));
  k.push_back(DurationKey("run.interval", Member(&Config::run, &RunConfig::interval), kMinInterval,
                          kMaxInterval, "report interval of devices whose profile sets none"));
  k.push_back(RealKey("run.jitter", Member(&Config::run, &RunConfig::jitter), {0, 0.5},
                      "random shift of each report, +/- this fraction of the interval"));
  k.push_back(RealKey("run.rate", Member(&Config::run, &RunConfig::rate), {0, kBig},
                      "rate mode: messages per second for this instance"));
  k.push_back(TimestampKey("run.start", Member(&Config::run, &RunConfig::start), true,
                           "max mode: simulated start time"));
  k.push_back(TimestampKey("run.from", Member(&Config::run, &RunConfig::from), false,
                           "backfill: start of the simulated range (inclusive)"));
  k.push_back(TimestampKey("run.to", Member(&Config::run, &RunConfig::to), false,
                           "backfill: end of the simulated range (exclusive)"));
  k.push_back(RealKey("run.speed", Member(&Config::run, &RunConfig::speed), {0, 1e6},
                      "backfill: N x real time; 0 = as fast as possible"));
  k.push_back(UnsignedKey("run.count", Member(&Config::run, &RunConfig::count), uint64_t{0},
                          std::numeric_limits<uint64_t>::max(),
                          "stop after this many messages (0: no limit)"));
  k.push_back(OptionalDurationKey("run.duration", Member(&Config::run, &RunConfig::duration), Ms{1},
                                  kCentury, "stop after this wall-clock time (0: no limit)"));
  k.push_back(UnsignedKey("run.seed", Member(&Config::run, &RunConfig::seed), uint64_t{0},
                          std::numeric_limits<uint64_t>::max(), "random seed"));
  k.push_back(UnsignedKey("run.threads", Member(&Config::run, &RunConfig::threads), 0u, 256u,
                          "worker threads (0: one per core)"));
  k.push_back(ShardKey());
  k.push_back(UnsignedKey("run.slice", Member(&Config::run, &RunConfig::slice), 0u, kMaxDevices - 1,
                          "with run.slice_devices: simulate devices slice x slice_devices + 1 "
                          "up to (slice + 1) x slice_devices"));
  k.push_back(UnsignedKey("run.slice_devices", Member(&Config::run, &RunConfig::slice_devices),
                          uint64_t{0}, uint64_t{kMaxDevices},
                          "devices per slice (0: no slices; the whole fleet or run.shard)"));

  k.push_back(ChoiceKey("output.sink", Member(&Config::output, &OutputConfig::sink),
                        {SinkKind::kKafka, SinkKind::kStdout, SinkKind::kFile},
                        "where messages go"));
  k.push_back(ChoiceKey("output.format", Member(&Config::output, &OutputConfig::format),
                        {Format::kJson, Format::kProtobuf}, "message encoding"));
  k.push_back(PathKey("output.file", Member(&Config::output, &OutputConfig::file),
                      "file sink: path to write (required when output.sink is file)"));
  k.push_back(ChoiceKey("output.on_queue_full",
                        Member(&Config::output, &OutputConfig::on_queue_full),
                        {QueueFullPolicy::kBlock, QueueFullPolicy::kDrop},
                        "when the producer queue is full: wait, or drop and count"));
  k.push_back(UnsignedKey("output.payload_bytes",
                          Member(&Config::output, &OutputConfig::payload_bytes), 0u, 1'000'000u,
                          "benchmarking: every value is this many fixed bytes, no generation "
                          "(0: off)"));

  k.push_back(TextKey("labels.topic", Member(&Config::labels, &LabelsConfig::topic),
                      LabelsTopicRule, "empty, or 1..249 of a-z A-Z 0-9 . _ -",
                      "topic for the labels stream, on the run's cluster (empty: none)"));
  k.push_back(PathKey("labels.file", Member(&Config::labels, &LabelsConfig::file),
                      "file for the labels stream, JSON lines (empty: none)"));

  k.push_back(BrokersKey());
  k.push_back(TextKey("kafka.topic", Member(&Config::kafka, &KafkaConfig::topic), TopicRule,
                      "1..249 of a-z A-Z 0-9 . _ -", "topic to produce to"));
  k.push_back(TextKey("kafka.client_id", Member(&Config::kafka, &KafkaConfig::client_id),
                      ClientIdRule, "1..255 printable characters", "client.id sent to brokers"));
  k.push_back(AcksKey());
  k.push_back(BoolKey("kafka.idempotence", Member(&Config::kafka, &KafkaConfig::idempotence),
                      "enable.idempotence: no duplicates or reordering on retries"));
  k.push_back(ChoiceKey("kafka.compression", Member(&Config::kafka, &KafkaConfig::compression),
                        {Compression::kNone, Compression::kGzip, Compression::kSnappy,
                         Compression::kLz4, Compression::kZstd},
                        "compression.type"));
  k.push_back(UnsignedKey("kafka.linger_ms", Member(&Config::kafka, &KafkaConfig::linger_ms), 0u,
                          900'000u, "linger.ms: how long a batch may wait to fill"));
  k.push_back(UnsignedKey("kafka.batch_size", Member(&Config::kafka, &KafkaConfig::batch_size), 1u,
                          kMaxInt32, "batch.size: bytes per partition batch"));
  k.push_back(UnsignedKey("kafka.max_retries", Member(&Config::kafka, &KafkaConfig::max_retries),
                          0u, kMaxInt32, "retries: resends of a failed batch"));
  k.push_back(UnsignedKey("kafka.retry_backoff_ms",
                          Member(&Config::kafka, &KafkaConfig::retry_backoff_ms), 1u, 300'000u,
                          "retry.backoff.ms: wait before a resend"));
  k.push_back(UnsignedKey("kafka.queue_max_messages",
                          Member(&Config::kafka, &KafkaConfig::queue_max_messages), 1u, kMaxInt32,
                          "queue.buffering.max.messages: local queue bound"));
  k.push_back(UnsignedKey("kafka.queue_max_kbytes",
                          Member(&Config::kafka, &KafkaConfig::queue_max_kbytes), 1u, kMaxInt32,
                          "queue.buffering.max.kbytes: local queue bound in KiB"));
  k.push_back(UnsignedKey("kafka.message_timeout_ms",
                          Member(&Config::kafka, &KafkaConfig::message_timeout_ms), 0u, kMaxInt32,
                          "message.timeout.ms: delivery deadline per message (0: none)"));
  k.push_back(UnsignedKey("kafka.flush_timeout_ms",
                          Member(&Config::kafka, &KafkaConfig::flush_timeout_ms), 0u, 3'600'000u,
                          "bound on the flush at shutdown"));
  k.push_back(DurationKey("kafka.connect_timeout",
                          Member(&Config::kafka, &KafkaConfig::connect_timeout), Ms{0}, kCentury,
                          "wait at start for a broker this long, then exit 1 (0: forever)"));
  k.push_back(UnsignedKey("kafka.embedded_brokers",
                          Member(&Config::kafka, &KafkaConfig::embedded_brokers), 1u, 100u,
                          "embedded cluster (no brokers given): number of brokers"));
  k.push_back(UnsignedKey("kafka.embedded_partitions",
                          Member(&Config::kafka, &KafkaConfig::embedded_partitions), 1u, 1000u,
                          "embedded cluster: partitions of the topic"));
  using KC = KafkaConfig;
  k.push_back(CaseInsensitive(
      ChoiceKey("kafka.security_protocol", Member(&Config::kafka, &KC::security_protocol),
                {SecurityProtocol::kPlaintext, SecurityProtocol::kSsl,
                 SecurityProtocol::kSaslPlaintext, SecurityProtocol::kSaslSsl},
                "security.protocol: TLS (ssl), SASL, both (sasl_ssl) or neither")));
  k.push_back(CaseInsensitive(
      ChoiceKey("kafka.sasl_mechanism", Member(&Config::kafka, &KC::sasl_mechanism),
                {SaslMechanism::kScramSha512, SaslMechanism::kScramSha256, SaslMechanism::kPlain},
                "sasl.mechanisms: how the SASL user proves who it is")));
  k.push_back(TextKey("kafka.sasl_username", Member(&Config::kafka, &KC::sasl_username),
                      UsernameRule, "0..255 characters", "SASL user name"));
  k.push_back(
      SecretKey(SaslPassword(), "SASL password (IIOT_KAFKA_SASL_PASSWORD); shown as <redacted>"));
  k.push_back(KafkaPathKey("kafka.sasl_password_file", &KC::sasl_password_file,
                           "file holding kafka.sasl_password (trailing whitespace stripped)"));
  k.push_back(KafkaPathKey("kafka.tls_ca_file", &KC::tls_ca_file,
                           "PEM file of the CA certificates that sign the brokers' (\"\": the "
                           "system's store)"));
  k.push_back(KafkaPathKey("kafka.tls_cert_file", &KC::tls_cert_file,
                           "PEM client certificate for mutual TLS (with kafka.tls_key_file)"));
  k.push_back(KafkaPathKey("kafka.tls_key_file", &KC::tls_key_file,
                           "PEM private key of kafka.tls_cert_file"));
  k.push_back(BoolKey("kafka.tls_verify_hostname", Member(&Config::kafka, &KC::tls_verify_hostname),
                      "the broker certificate must name the host connected to"));
  k.push_back(PropertiesKey());

  Key level = TextKey("log.level", Member(&Config::log, &LogConfig::level), LogLevelRule, "",
                      "least severe log level shown");
  level.type = std::string("one of ") + kLogLevels;
  k.push_back(std::move(level));
  k.push_back(BoolKey("log.quiet", Member(&Config::log, &LogConfig::quiet),
                      "no status line on a terminal"));

  // Running the program rather than what it simulates: admin.*, reload.*, alerts.*.
  Key addr = TextKey("admin.addr", Member(&Config::admin, &AdminConfig::addr), AddrRule,
                     "host:port (port 0..65535), or off",
                     "admin HTTP server address; port 0 = any free port; off = no server");
  addr.type = "address";
  k.push_back(std::move(addr));
  k.push_back(SecretKey(AdminToken(),
                        "bearer token the admin API requires (empty: none); shown as <redacted>"));
  k.push_back(PathKey("admin.token_file", Member(&Config::admin, &AdminConfig::token_file),
                      "file holding admin.token (trailing whitespace stripped); empty = none"));
  k.push_back(RealKey("admin.ready_min_success",
                      Member(&Config::admin, &AdminConfig::ready_min_success), unit,
                      "/readyz: least share of deliveries over admin.ready_window that succeed"));
  k.push_back(DurationKey("admin.ready_window", Member(&Config::admin, &AdminConfig::ready_window),
                          Millis{1000}, Millis{3'600'000},
                          "/readyz: window of admin.ready_min_success"));

  k.push_back(BoolKey("reload.watch", Member(&Config::reload, &ReloadConfig::watch),
                      "watch the config file and reload when it changes"));
  k.push_back(DurationKey("reload.debounce", Member(&Config::reload, &ReloadConfig::debounce),
                          Millis{0}, Millis{10'000},
                          "wait for changes to the file to settle this long"));

  k.push_back(RealKey("alerts.error_rate", Member(&Config::alerts, &AlertsConfig::error_rate), unit,
                      "alert when failed + dropped exceed this share of delivery outcomes"));
  k.push_back(DurationKey("alerts.latency_p95", Member(&Config::alerts, &AlertsConfig::latency_p95),
                          Millis{1}, Millis{3'600'000},
                          "alert when the p95 delivery latency exceeds this"));
  k.push_back(RealKey("alerts.queue_fill", Member(&Config::alerts, &AlertsConfig::queue_fill), unit,
                      "alert when queued messages exceed this share of the queue bound"));
  k.push_back(DurationKey("alerts.window", Member(&Config::alerts, &AlertsConfig::window),
                          Millis{1000}, Millis{3'600'000},
                          "window the alert thresholds are judged over"));
  return k;
}

}  // namespace

const std::vector<Key>& AllKeys() {
  static const std::vector<Key> keys = BuildKeys();
  return keys;
}

const Key* FindKey(std::string_view path) {
  for (const Key& key : AllKeys()) {
    if (key.path == path) return &key;
  }
  return nullptr;
}

bool IsSection(std::string_view path) {
  if (path.empty()) return true;
  return std::any_of(AllKeys().begin(), AllKeys().end(), [&](const Key& key) {
    return key.path.size() > path.size() && key.path.compare(0, path.size(), path) == 0 &&
           key.path[path.size()] == '.';
  });
}

std::vector<std::string> ChildNames(std::string_view section) {
  std::vector<std::string> names;
  const size_t skip = section.empty() ? 0 : section.size() + 1;
  for (const Key& key : AllKeys()) {
    if (skip > 0 && (key.path.size() <= skip || key.path.compare(0, section.size(), section) != 0 ||
                     key.path[section.size()] != '.')) {
      continue;
    }
    const std::string rest = key.path.substr(skip);
    std::string name = rest.substr(0, rest.find('.'));
    if (std::find(names.begin(), names.end(), name) == names.end())
      names.push_back(std::move(name));
  }
  return names;
}

std::string EnvName(std::string_view path) {
  std::string name = "IIOT_";
  for (char c : path) {
    if (c == '.') {
      name += '_';
    } else if (c >= 'a' && c <= 'z') {
      name += static_cast<char>(c - 'a' + 'A');
    } else {
      name += c;
    }
  }
  return name;
}

}  // namespace iiot::config_keys
