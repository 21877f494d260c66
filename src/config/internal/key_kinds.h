// Builders for the kinds of keys in the table (key_registry.h): unsigned integers, reals,
// booleans, choices, durations, timestamps, text. Each returns a complete Key whose
// assign / check / show share one range, so the file, environment, flags and Validate
// report the same message for the same bad value. Internal to src/config/.
//
// Builders are pure; the Keys they return are immutable and thread-safe to use.
#pragma once

#include <fmt/format.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/text.h"
#include "config/internal/key_registry.h"

namespace iiot::config_keys {

// Bounds of any report interval (run.interval, a profile's interval).
inline constexpr Millis kMinInterval{1};
inline constexpr Millis kMaxInterval{7LL * 86'400'000};

// Where a key's value lives in a Config, for reading and for writing.
template <class T>
struct Slot {
  std::function<T&(Config&)> get;
  std::function<const T&(const Config&)> read;
};

// A slot from a generic accessor: [](auto& c) -> auto& { return c.fleet.site; }.
template <class F>
auto SlotOf(F field) {
  using T = std::remove_reference_t<decltype(field(std::declval<Config&>()))>;
  return Slot<T>{field, field};
}

// A slot for cfg.*section.*field.
template <class S, class T>
Slot<T> Member(S Config::*section, T S::*field) {
  return SlotOf([ section, field ](auto& c) -> auto& { return (c.*section).*field; });
}

// An inclusive range for reals, or (lo, hi] when lo_open.
struct RealRange {
  double lo = 0;
  double hi = 0;
  bool lo_open = false;
  bool Contains(double v) const { return (lo_open ? v > lo : v >= lo) && v <= hi; }
  std::string Describe() const;  // "[0, 0.5]", "(0, 1]"
};

// For a text key: the reason a value is refused ("is not a valid topic name (...)"), or
// nullopt when it is fine.
using TextRule = std::function<std::optional<std::string>(std::string_view)>;

// The scalar text of a value; a YAML map or list (or a null, unless null_text is given)
// is a ValueError naming `type`.
std::string ScalarText(const SourceValue& v, std::string_view type,
                       std::optional<std::string_view> null_text = std::nullopt);
// Text from the environment or a flag for a structured key, parsed as YAML
// ("{security.protocol: SASL_SSL}", "[{name: pump, sensors: [switch]}]").
YAML::Node ParseInlineYaml(std::string_view text);
// True for an empty YAML value (`key:` or `key: ~`) or empty text.
bool IsEmptyValue(const SourceValue& v);

Key UnsignedKey(std::string path, Slot<uint64_t> slot, uint64_t lo, uint64_t hi, std::string doc);
Key UnsignedKey(std::string path, Slot<uint32_t> slot, uint32_t lo, uint32_t hi, std::string doc);
Key RealKey(std::string path, Slot<double> slot, RealRange range, std::string doc);
Key BoolKey(std::string path, Slot<bool> slot, std::string doc);
// A duration in [lo, hi].
Key DurationKey(std::string path, Slot<Millis> slot, Millis lo, Millis hi, std::string doc);
// An optional duration: empty, ~ or 0 mean unset; otherwise in [lo, hi].
Key OptionalDurationKey(std::string path, Slot<std::optional<Millis>> slot, Millis lo, Millis hi,
                        std::string doc);
// An optional UTC timestamp. "now" (and empty, ~) means unset when now_is_unset, else the
// wall-clock time when the value is read.
Key TimestampKey(std::string path, Slot<std::optional<UnixMillis>> slot, bool now_is_unset,
                 std::string doc);
// Free text refused by `rule`; `allowed` describes the rule for docs.
Key TextKey(std::string path, Slot<std::string> slot, TextRule rule, std::string allowed,
            std::string doc);
// A file path (output.file, admin.token_file, kafka.tls_*_file...): text without control
// characters, "a path" in docs. Only the text is checked here; whether the file can be
// read is checked where it is used.
Key PathKey(std::string path, Slot<std::string> slot, std::string doc);

// The keys with their own shapes (structured_keys.cc, profiles_key.cc).
Key AcksKey();        // kafka.acks: all|-1|0|1
Key ShardKey();       // run.shard: "i/N"
Key BrokersKey();     // kafka.brokers: a list, or comma-separated text
Key PropertiesKey();  // kafka.properties: a map of librdkafka properties
Key ProfilesKey();    // fleet.profiles: a list of {name, sensors, interval, weight}
Key ScheduleKey();    // incidents.schedule: a list of {kind, scope, start, duration}

// A secret text key and the `<path>_file` key it can be read from instead (secret_key.cc).
struct Secret {
  std::string path;                 // "admin.token"; its file key is "admin.token_file"
  std::string noun;                 // "token", in messages ("... holds no token")
  const char* rule;                 // what a valid value is, for messages and docs
  bool (*valid)(std::string_view);  // the rule itself
  Slot<std::string> value;
  Slot<std::string> file;
};
// The key for s.path: parsed and checked by s.valid, never shown or named in a message
// (a dump shows "<redacted>", or "" when the value came from the file).
Key SecretKey(const Secret& s, std::string doc);

// What the admin keys of the table need (operating_keys.cc): admin.addr's rule
// (host:port, or off) and the admin.token secret.
std::optional<std::string> AddrRule(std::string_view s);
const Secret& AdminToken();
// What the security keys of the table need (security_keys.cc): kafka.sasl_username's rule,
// the kafka.sasl_password secret, a choice that also takes Kafka's own spelling (SASL_SSL,
// SCRAM-SHA-512), and a kafka.* path key.
std::optional<std::string> UsernameRule(std::string_view s);
const Secret& SaslPassword();
Key CaseInsensitive(Key key);
Key KafkaPathKey(std::string path, std::string KafkaConfig::*field, std::string doc);

// One of a fixed set of names.
template <class E>
Key ChoiceKey(std::string path, Slot<E> slot, std::vector<E> values, std::string doc) {
  std::string names;
  for (E e : values) names += (names.empty() ? "" : "|") + std::string(Name(e));
  Key key;
  key.path = std::move(path);
  key.type = "one of " + names;
  key.doc = std::move(doc);
  key.assign = [slot, values, names](Config& cfg, const SourceValue& v) {
    const std::string text(text::Trim(ScalarText(v, "one of " + names)));
    for (E e : values) {
      if (text == Name(e)) {
        slot.get(cfg) = e;
        return;
      }
    }
    throw ValueError(fmt::format("{} is not one of {}", text::Quote(text), names));
  };
  key.check = [slot, values, names](const Config& cfg) {
    const E e = slot.read(cfg);
    for (E allowed : values) {
      if (e == allowed) return;
    }
    throw ValueError(fmt::format("{} is not one of {}", static_cast<int>(e), names));
  };
  key.show = [slot](const Config& cfg) { return std::string(Name(slot.read(cfg))); };
  return key;
}

}  // namespace iiot::config_keys
