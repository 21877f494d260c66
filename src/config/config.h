// The effective configuration of one run: every setting the program reads, with its
// default. Loading (YAML file, IIOT_* environment, flags) and validation live in
// config_loader.h; this header is only the plain data every other part reads.
//
// A Config is a value: copy it freely. It is not synchronised; after start-up each part
// holds its own copy or a const reference that nothing mutates.
//
// Example:
//   iiot::Config cfg;                 // all defaults
//   cfg.fleet.devices = 100;
//   cfg.run.mode = iiot::Mode::kMax;
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/iso_time.h"

namespace iiot {

// The five sensor kinds of the spec. The numeric value is an index into per-type arrays.
enum class SensorType : uint8_t { kTemperature = 0, kHumidity, kPressure, kSwitch, kCurrent };
inline constexpr int kSensorTypeCount = 5;

// How the simulated clock advances (see docs/configuration.md, "Time and rate").
enum class Mode : uint8_t {
  kRealtime,  // each device every interval on the wall clock
  kRate,      // a global messages/s target on the wall clock, devices round-robin
  kMax,       // simulated clock from run.start, as fast as the sink takes
  kBackfill,  // simulated clock over [run.from, run.to), as fast as possible or N x real time
};

enum class Format : uint8_t { kJson, kProtobuf };

// kKafka with no brokers configured means the embedded in-process cluster.
enum class SinkKind : uint8_t { kKafka, kStdout, kFile };

// What a producer does when the client's local queue is full.
enum class QueueFullPolicy : uint8_t { kBlock, kDrop };

enum class Compression : uint8_t { kNone, kGzip, kSnappy, kLz4, kZstd };

// How the client talks to the brokers (librdkafka security.protocol).
enum class SecurityProtocol : uint8_t { kPlaintext, kSsl, kSaslPlaintext, kSaslSsl };
// The SASL mechanism (librdkafka sasl.mechanisms).
enum class SaslMechanism : uint8_t { kScramSha512, kScramSha256, kPlain };

using Millis = std::chrono::milliseconds;

// Distribution and slow-change parameters of one sensor type.
struct SensorParams {
  double mean = 0;    // μ of the normal base distribution (switch: unused)
  double stddev = 0;  // σ of the stationary distribution, before clamping
  double min = 0;     // physical range; values are clamped into [min, max]
  double max = 0;
  double cycle_amplitude = 0;    // slow change amplitude (day/night, seasonal, weather, load)
  double anomaly_threshold = 0;  // spikes land beyond this (above, or below for humidity)
  double p_on = 0.8;             // switch only: stationary probability of "on"
  double stickiness = 0.95;      // switch only: probability a state is kept at the next sample

  bool operator==(const SensorParams&) const = default;
};

// One kind of device: which sensors it carries and how often it reports.
struct Profile {
  std::string name;
  std::vector<SensorType> sensors;  // no duplicates; order is the message's order
  std::optional<Millis> interval;   // unset: run.interval
  double weight = 1;                // share of the fleet (relative to other profiles)

  bool operator==(const Profile&) const = default;
};

struct FleetConfig {
  uint64_t devices = 10'000;  // device ids 1..devices
  std::string site = "plant1";
  uint32_t buildings = 5;
  uint32_t floors = 4;            // per building
  uint32_t rooms = 20;            // per floor
  std::vector<Profile> profiles;  // empty after loading never happens: defaults fill it

  bool operator==(const FleetConfig&) const = default;
};

struct SensorsConfig {
  double ema_alpha = 0.3;       // smoothing of the noise (1 = no smoothing)
  double data_variation = 1.0;  // multiplies every σ
  bool trend_enabled = true;    // slow changes (cycles, drift) on/off
  double trend_strength = 1.0;  // multiplies every cycle_amplitude
  std::array<SensorParams, kSensorTypeCount> params = {{
      // mean, σ, min, max, cycle amplitude, anomaly threshold
      {25.0, 5.0, -10.0, 60.0, 3.0, 50.0},         // temperature °C: day/night
      {60.0, 10.0, 0.0, 100.0, 8.0, 20.0},         // humidity %: seasonal (threshold is "below")
      {1013.0, 20.0, 950.0, 1050.0, 8.0, 1040.0},  // pressure hPa: weather drift
      {0.0, 0.0, 0.0, 1.0, 0.1, 0.0, 0.8, 0.95},   // switch: usage pattern modulates p(on)
      {2.5, 0.5, 0.0, 10.0, 0.4, 8.0},             // current A: load trend; 0 when off
  }};

  bool operator==(const SensorsConfig&) const = default;
};

// Probability per message that an anomaly episode of each kind starts on a device
// (when it has none running), and how many messages an episode lasts.
struct AnomalyConfig {
  double spike = 0.001;
  double stuck = 0.0005;
  double drift = 0.0005;
  double dropout = 0.001;
  double chatter = 0.0005;
  uint32_t min_length = 3;  // messages; spikes always last one message
  uint32_t max_length = 20;

  bool operator==(const AnomalyConfig&) const = default;
};

// Plant-wide incidents (docs/sensors.md, "Incidents"): what fails, over which part of the
// site. Each kind starts at random at `rate` per scope per simulated day, or at the times
// the schedule names.
enum class IncidentKind : uint8_t { kHvacFailure = 0, kPowerLoss, kNetworkOutage };
inline constexpr int kIncidentKindCount = 3;
enum class ScopeLevel : uint8_t { kRoom = 0, kFloor, kBuilding, kSite };

struct IncidentRate {
  double rate = 0;  // incidents per scope per simulated day; 0 = none at random
  ScopeLevel scope = ScopeLevel::kFloor;
  Millis min_duration{1'800'000};
  Millis max_duration{10'800'000};

  bool operator==(const IncidentRate&) const = default;
};

// The timing every incident of a kind follows (sim/incidents.h), here so that validation
// knows it too. How long after its end an incident still shows (HVAC: the recovery).
Millis IncidentTail(IncidentKind kind);
// Random incidents are placed one at most per slot of this length (1.5 × the longest
// incident plus the tail), so a scope can have at most MaxIncidentRate a day.
int64_t IncidentSlot(const IncidentRate& rate, IncidentKind kind);
double MaxIncidentRate(const IncidentRate& rate, IncidentKind kind);

// One incident at a fixed time, for reproducible scenarios (incidents.schedule).
struct ScheduledIncident {
  IncidentKind kind = IncidentKind::kHvacFailure;
  ScopeLevel scope = ScopeLevel::kSite;
  uint32_t building = 0;  // 1-based; 0 where the scope is wider
  uint32_t floor = 0;
  uint32_t room = 0;
  UnixMillis start = 0;
  Millis duration{0};
  uint64_t id = 0;  // 0: a hash of the seed and the fields above; set for /api/v1/incidents ones

  bool operator==(const ScheduledIncident&) const = default;
};

// "site", "b3", "b03-f2", "b03-f02-r014": the scope's level and 1-based numbers (the other
// fields left as they are by default); nullopt when the text is not a scope.
std::optional<ScheduledIncident> ParseIncidentScope(std::string_view text);
// "site", "b3", "b3-f2", "b3-f2-r14".
std::string IncidentScopeText(const ScheduledIncident& s);

struct IncidentsConfig {
  std::vector<ScheduledIncident> schedule;
  std::array<IncidentRate, kIncidentKindCount> kinds = {{
      {0, ScopeLevel::kFloor, Millis{1'800'000}, Millis{10'800'000}},  // hvac_failure: 30m..3h
      {0, ScopeLevel::kBuilding, Millis{300'000}, Millis{3'600'000}},  // power_loss: 5m..1h
      {0, ScopeLevel::kFloor, Millis{120'000}, Millis{1'800'000}},     // network_outage: 2m..30m
  }};
  // Network outages: whether the devices send what they measured once the network is back
  // (late, with their original ts and seq), and how many readings each device holds for
  // that (the oldest go first when it is full).
  bool replay = true;
  uint32_t replay_buffer = 1000;

  bool operator==(const IncidentsConfig&) const = default;
};

struct RunConfig {
  Mode mode = Mode::kRealtime;
  Millis interval{5000};            // default device interval (profiles may override)
  double jitter = 0.0;              // realtime: ± fraction of the interval, 0..0.5
  double rate = 0;                  // rate mode: messages/s for the whole instance (> 0 required)
  std::optional<UnixMillis> start;  // max mode: simulated start (unset: now)
  std::optional<UnixMillis> from;   // backfill: simulated range [from, to)
  std::optional<UnixMillis> to;
  double speed = 0;                // backfill: 0 = as fast as possible, N = N x real time
  uint64_t count = 0;              // stop after this many messages (0: no limit)
  std::optional<Millis> duration;  // stop after this wall-clock time
  uint64_t seed = 1;
  uint32_t threads = 0;      // 0: one per core
  uint32_t shard_index = 0;  // --shard i/N
  uint32_t shard_count = 1;
  uint32_t slice = 0;          // --slice i: devices i*slice_devices+1 .. (i+1)*slice_devices
  uint64_t slice_devices = 0;  // --slice-devices N; 0: no slices

  bool operator==(const RunConfig&) const = default;
};

struct OutputConfig {
  SinkKind sink = SinkKind::kKafka;
  Format format = Format::kJson;
  std::string file;  // sink=file: path to write
  QueueFullPolicy on_queue_full = QueueFullPolicy::kBlock;
  // A benchmarking aid: > 0 turns generation off and every message's value is the same
  // block of this many bytes (still keyed by device id); 0 = sampled, encoded readings.
  uint32_t payload_bytes = 0;

  bool operator==(const OutputConfig&) const = default;
};

struct KafkaConfig {
  std::vector<std::string> brokers;  // empty: embedded in-process cluster
  std::string topic = "iiot.readings";
  std::string client_id = "iiot-producer";
  int acks = -1;  // -1 (all), 0, 1
  bool idempotence = true;
  Compression compression = Compression::kLz4;
  uint32_t linger_ms = 5;                   // spec: batch_timeout
  uint32_t batch_size = 1'000'000;          // bytes per partition batch (spec: batch_size)
  uint32_t max_retries = 2'147'483'647;     // spec: max_retries
  uint32_t retry_backoff_ms = 100;          // spec: retry_backoff
  uint32_t queue_max_messages = 1'000'000;  // local queue bound, messages
  uint32_t queue_max_kbytes = 1'048'576;    // local queue bound, KiB (1 GiB)
  uint32_t message_timeout_ms = 300'000;    // delivery timeout per message
  uint32_t flush_timeout_ms = 30'000;       // bound on the flush at shutdown
  Millis connect_timeout{0};                // wait at start for a broker this long (0: forever)
  uint32_t embedded_brokers = 3;            // embedded cluster only
  uint32_t embedded_partitions = 12;        // embedded cluster only
  std::map<std::string, std::string> properties;  // passed to librdkafka as-is, last
  // TLS and SASL towards the brokers (security_keys.cc, docs/configuration.md).
  SecurityProtocol security_protocol = SecurityProtocol::kPlaintext;
  SaslMechanism sasl_mechanism = SaslMechanism::kScramSha512;
  std::string sasl_username;
  std::string sasl_password;       // secret
  std::string sasl_password_file;  // read into sasl_password by LoadConfig ("" = none)
  std::string tls_ca_file;         // PEM CA certificate(s) ("" = the system's store)
  std::string tls_cert_file;       // PEM client certificate (mutual TLS), with tls_key_file
  std::string tls_key_file;
  bool tls_verify_hostname = true;  // the broker certificate must name the host connected to

  bool operator==(const KafkaConfig&) const = default;
};

// The labels stream (docs/sensors.md, "Labels"): one JSON record at the start and the end
// of every anomaly episode and incident, to a Kafka topic on the run's cluster, a file, or
// both. Empty: off.
struct LabelsConfig {
  std::string topic;
  std::string file;

  bool operator==(const LabelsConfig&) const = default;
};

struct LogConfig {
  std::string level = "info";  // trace|debug|info|warn|error|off
  bool quiet = false;          // no status line on a terminal

  bool operator==(const LogConfig&) const = default;
};

// The admin HTTP server (/healthz, /readyz, /metrics, /api/v1/config) and its readiness rule.
struct AdminConfig {
  std::string addr = "127.0.0.1:8080";  // host:port; port 0 = any free port; "off" = no server
  std::string token;                    // secret: bearer token for the admin API ("" = none)
  std::string token_file;               // read into token by LoadConfig ("" = none)
  double ready_min_success = 0.9;       // /readyz: least share of deliveries that succeed...
  Millis ready_window{10'000};          // ...over this window

  bool operator==(const AdminConfig&) const = default;
};

// Hot reload of the config file.
struct ReloadConfig {
  bool watch = true;     // watch the config file and reload when it changes
  Millis debounce{200};  // wait for changes to settle this long before reloading

  bool operator==(const ReloadConfig&) const = default;
};

// Thresholds of the self-logged alerts, each judged over `window`.
struct AlertsConfig {
  double error_rate = 0.01;  // share of failed + dropped among delivery outcomes
  Millis latency_p95{5000};  // p95 delivery latency
  double queue_fill = 0.8;   // queued messages / queue bound
  Millis window{30'000};

  bool operator==(const AlertsConfig&) const = default;
};

struct Config {
  FleetConfig fleet;
  SensorsConfig sensors;
  AnomalyConfig anomalies;
  IncidentsConfig incidents;
  RunConfig run;
  OutputConfig output;
  KafkaConfig kafka;
  LabelsConfig labels;
  LogConfig log;
  AdminConfig admin;
  ReloadConfig reload;
  AlertsConfig alerts;

  // Field-by-field equality (reload uses it to find what changed).
  bool operator==(const Config&) const = default;
};

// Names used in config files, flags and messages. Stable: they appear in output.
const char* Name(SensorType t);
const char* Name(Mode m);
const char* Name(Format f);
const char* Name(SinkKind s);
const char* Name(QueueFullPolicy p);
const char* Name(Compression c);
const char* Name(SecurityProtocol p);  // "plaintext", "ssl", "sasl_plaintext", "sasl_ssl"
const char* Name(SaslMechanism m);     // "scram-sha-512", "scram-sha-256", "plain"
const char* Name(IncidentKind k);      // "hvac_failure", "power_loss", "network_outage"
// The kind `name` names (Name's inverse); false when none does.
bool IncidentKindNamed(std::string_view name, IncidentKind* kind);
const char* Name(ScopeLevel s);  // "room", "floor", "building", "site"
// Unit string of a sensor type in messages ("C", "%", "hPa", "A"; "" for switch).
const char* Unit(SensorType t);

// The default profiles: all five sensor types, single- and multi-sensor devices.
std::vector<Profile> DefaultProfiles();
// The profiles a run of cfg uses: cfg.fleet.profiles, or DefaultProfiles() when empty.
const std::vector<Profile>& EffectiveProfiles(const Config& cfg);

}  // namespace iiot
