// Keys with a shape of their own: kafka.acks, run.shard, kafka.brokers, kafka.properties.
#include <algorithm>

#include "config/internal/key_kinds.h"

namespace iiot::config_keys {

namespace {

using text::Quote;
using text::Trim;
using text::YamlQuote;

constexpr uint32_t kMaxShards = 100'000;

std::optional<std::string> BrokerRule(std::string_view broker) {
  const bool ok = !broker.empty() && std::none_of(broker.begin(), broker.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == ',';
  });
  if (!ok) return "is not a broker address (host:port, no spaces or commas)";
  // A port, when there is one, is 1..65535: port 0 would be waited on for ever.
  const size_t colon = broker.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::string_view port = broker.substr(colon + 1);
  if (port.empty() ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;  // "[::1]" or a name librdkafka resolves its own way
  }
  const bool valid = port.size() <= 5 && std::stoul(std::string(port)) >= 1 &&
                     std::stoul(std::string(port)) <= 65535;
  if (valid) return std::nullopt;
  return "has port " + std::string(port) + "; a broker's port is 1..65535";
}

// librdkafka property names are dotted words ("socket.timeout.ms"). The bound keeps every
// name a valid YAML implicit key in ToYaml's dump (YAML caps those at 1024 characters).
constexpr size_t kMaxPropertyName = 128;

std::optional<std::string> PropertyNameRule(std::string_view name) {
  if (name.empty() || name.find_first_of(" \t\r\n") != std::string_view::npos) {
    return "a property name must be a non-empty word";
  }
  const bool word = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
  if (!word) {
    return fmt::format("{} is not a property name (letters, digits, '.', '_' and '-' only)",
                       Quote(name));
  }
  if (name.size() > kMaxPropertyName) {
    return fmt::format("{} is not a property name (longer than {} characters)", Quote(name),
                       kMaxPropertyName);
  }
  return std::nullopt;
}

std::vector<std::string> SplitBrokers(std::string_view text) {
  std::vector<std::string> out;
  if (Trim(text).empty()) return out;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    const std::string_view item =
        Trim(text.substr(start, comma == std::string_view::npos ? text.npos : comma - start));
    if (item.empty()) {
      throw ValueError(
          fmt::format("{} has an empty entry (expected host:port,host:port)", Quote(text)));
    }
    out.emplace_back(item);
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

// Property names whose values ToYaml hides.
bool IsSecretProperty(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  auto ends_with = [&](std::string_view suffix) {
    return lower.size() >= suffix.size() &&
           lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return lower.find("password") != std::string::npos || lower.find("secret") != std::string::npos ||
         ends_with(".key") || ends_with("token") || lower == "ssl.key.pem" ||
         lower == "sasl.oauthbearer.config";
}

void CheckShard(uint32_t index, uint32_t count) {
  if (count < 1 || count > kMaxShards || index >= count) {
    throw ValueError(
        fmt::format("{}/{} is out of range: the count must be 1..{} and the index 0..count-1",
                    index, count, kMaxShards));
  }
}

}  // namespace

Key AcksKey() {
  Key key;
  key.path = "kafka.acks";
  key.type = "one of all|-1|0|1";
  key.doc = "acks: all (= -1) waits for every in-sync replica";
  key.assign = [](Config& cfg, const SourceValue& v) {
    const std::string text(Trim(ScalarText(v, "one of all|-1|0|1")));
    if (text == "all" || text == "-1") {
      cfg.kafka.acks = -1;
    } else if (text == "0" || text == "1") {
      cfg.kafka.acks = text[0] - '0';
    } else {
      throw ValueError(fmt::format("{} is not one of all|-1|0|1", Quote(text)));
    }
  };
  key.check = [](const Config& cfg) {
    if (cfg.kafka.acks < -1 || cfg.kafka.acks > 1) {
      throw ValueError(fmt::format("{} is not one of all|-1|0|1", cfg.kafka.acks));
    }
  };
  key.show = [](const Config& cfg) {
    return cfg.kafka.acks == -1 ? std::string("all") : std::to_string(cfg.kafka.acks);
  };
  return key;
}

Key ShardKey() {
  Key key;
  key.path = "run.shard";
  key.type = "shard";
  key.allowed = fmt::format("i/N with N in 1..{} and i in 0..N-1", kMaxShards);
  key.doc = "simulate part i of N (0-based) of the fleet";
  key.assign = [](Config& cfg, const SourceValue& v) {
    const std::string text(Trim(ScalarText(v, "shard")));
    const size_t slash = text.find('/');
    uint64_t index = 0, count = 0;
    if (slash == std::string::npos ||
        text::ParseUnsigned(text.substr(0, slash), index) != text::ParseStatus::kOk ||
        text::ParseUnsigned(text.substr(slash + 1), count) != text::ParseStatus::kOk) {
      throw ValueError(fmt::format("{} is not a shard (i/N, e.g. 0/4)", Quote(text)));
    }
    if (count < 1 || count > kMaxShards || index >= count) {
      throw ValueError(
          fmt::format("{} is out of range: the count must be 1..{} and the index 0..count-1", text,
                      kMaxShards));
    }
    cfg.run.shard_index = static_cast<uint32_t>(index);
    cfg.run.shard_count = static_cast<uint32_t>(count);
  };
  key.check = [](const Config& cfg) { CheckShard(cfg.run.shard_index, cfg.run.shard_count); };
  key.show = [](const Config& cfg) {
    return fmt::format("\"{}/{}\"", cfg.run.shard_index, cfg.run.shard_count);
  };
  return key;
}

Key BrokersKey() {
  Key key;
  key.path = "kafka.brokers";
  key.type = "list of host:port";
  key.allowed = "a YAML list, or host:port,host:port";
  key.doc = "bootstrap servers; none = the embedded in-process cluster";
  key.assign = [](Config& cfg, const SourceValue& v) {
    std::vector<std::string> brokers;
    if (v.node != nullptr && v.node->IsSequence()) {
      for (size_t i = 0; i < v.node->size(); ++i) {
        const YAML::Node item = (*v.node)[i];
        const std::string path = fmt::format("kafka.brokers[{}]", i);
        if (!item.IsScalar()) throw ValueError("expected host:port", path, item.Mark());
        std::string broker(Trim(item.Scalar()));
        if (auto why = BrokerRule(broker)) {
          throw ValueError(fmt::format("{} {}", Quote(broker), *why), path, item.Mark());
        }
        brokers.push_back(std::move(broker));
      }
    } else {
      brokers = SplitBrokers(ScalarText(v, "list of host:port", ""));
    }
    cfg.kafka.brokers = std::move(brokers);
  };
  key.check = [](const Config& cfg) {
    for (size_t i = 0; i < cfg.kafka.brokers.size(); ++i) {
      if (auto why = BrokerRule(cfg.kafka.brokers[i])) {
        throw ValueError(fmt::format("{} {}", Quote(cfg.kafka.brokers[i]), *why),
                         fmt::format("kafka.brokers[{}]", i));
      }
    }
  };
  key.show = [](const Config& cfg) {
    std::string out = "[";
    for (const std::string& b : cfg.kafka.brokers) {
      out += (out.size() > 1 ? ", " : "") + YamlQuote(b);
    }
    return out + "]";
  };
  return key;
}

Key PropertiesKey() {
  Key key;
  key.path = "kafka.properties";
  key.type = "map of librdkafka properties";
  key.allowed = "name: value";
  key.doc = "any librdkafka property, applied last (entries add to earlier sources')";
  key.assign = [](Config& cfg, const SourceValue& v) {
    // The text may hold a secret (sasl.password, ssl.key.password): errors say where and
    // what kind of thing is wrong, never the text itself.
    YAML::Node node;
    if (v.node != nullptr) {
      node = *v.node;
    } else {
      try {
        node = YAML::Load(std::string(v.text));
      } catch (const YAML::Exception& e) {
        throw ValueError(fmt::format(
            "not valid YAML at column {}: {} (the text is not shown: it may hold a secret)",
            e.mark.column + 1, e.msg.substr(0, e.msg.find(':'))));
      }
    }
    if (!node.IsDefined() || node.IsNull()) return;
    if (!node.IsMap()) {
      throw ValueError(fmt::format("expected a map of librdkafka properties (name: value), got {}",
                                   node.IsSequence() ? "a list" : "a single value (not shown)"));
    }
    std::map<std::string, std::string> seen;
    for (const auto& entry : node) {
      const YAML::Node& name_node = entry.first;
      const YAML::Node& value_node = entry.second;
      const std::string name = name_node.IsScalar() ? std::string(Trim(name_node.Scalar())) : "";
      if (auto why = PropertyNameRule(name)) {
        throw ValueError(*why, "kafka.properties", name_node.Mark());
      }
      const std::string path = "kafka.properties." + name;
      if (seen.count(name) > 0) throw ValueError("duplicate property", path, name_node.Mark());
      if (!value_node.IsScalar()) {
        throw ValueError(value_node.IsNull() ? "missing value (expected a text value)"
                                             : "expected a text value, got a map or list",
                         path, value_node.Mark());
      }
      seen[name] = value_node.Scalar();
    }
    for (auto& [name, value] : seen) cfg.kafka.properties[name] = std::move(value);
  };
  key.check = [](const Config& cfg) {
    for (const auto& [name, value] : cfg.kafka.properties) {
      if (auto why = PropertyNameRule(name)) throw ValueError(*why);
    }
  };
  key.show = [](const Config& cfg) {
    if (cfg.kafka.properties.empty()) return std::string("{}");
    std::string out;
    for (const auto& [name, value] : cfg.kafka.properties) {
      out += fmt::format("\n{}: {}", YamlQuote(name),
                         IsSecretProperty(name) ? YamlQuote("<redacted>") : YamlQuote(value));
    }
    return out;
  };
  key.same = [](const Config& a, const Config& b) {
    return a.kafka.properties == b.kafka.properties;
  };
  return key;
}

}  // namespace iiot::config_keys
