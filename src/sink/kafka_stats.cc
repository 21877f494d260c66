#include "sink/kafka_stats.h"

#include <nlohmann/json.hpp>
#include <utility>

namespace iiot {

namespace {

using Json = nlohmann::json;

// obj[key] when obj is an object holding it, else null.
const Json& Field(const Json& obj, const char* key) {
  static const Json kNull;
  if (!obj.is_object()) return kNull;
  const auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

// A non-negative integer field; 0 when missing, negative or not a number.
uint64_t Count(const Json& obj, const char* key) {
  const Json& v = Field(obj, key);
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer()) {
    const int64_t n = v.get<int64_t>();
    return n > 0 ? static_cast<uint64_t>(n) : 0;
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    return d > 0 ? static_cast<uint64_t>(d) : 0;
  }
  return 0;
}

// A numeric field as a double; 0 when missing or not a number.
double Number(const Json& obj, const char* key) {
  const Json& v = Field(obj, key);
  return v.is_number() ? v.get<double>() : 0.0;
}

std::string Text(const Json& obj, const char* key) {
  const Json& v = Field(obj, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// How much a per-producer cumulative counter grew since `last`: a lower value means the
// counter started again (new producer or broker handle), so all of it is new.
uint64_t Growth(uint64_t now, uint64_t last) { return now >= last ? now - last : now; }

constexpr double kMicros = 1e-6;

}  // namespace

bool KafkaStatsAccumulator::Add(std::string_view json) {
  try {
    const Json doc = Json::parse(json, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object()) return false;

    if (std::string client = Text(doc, "name"); client != client_) {
      client_ = std::move(client);
      last_.clear();  // a new producer: its counters start from 0
    }
    totals_.queue_messages = Count(doc, "msg_cnt");
    totals_.queue_bytes = Count(doc, "msg_size");

    int brokers_up = 0;
    bool any_up = false;
    std::vector<KafkaStats::Broker> brokers;
    std::map<std::string, BrokerCounters> seen;
    if (const Json& list = Field(doc, "brokers"); list.is_object()) {
      for (const auto& [key, b] : list.items()) {
        if (!b.is_object()) continue;
        std::string name = Text(b, "name");
        if (name.empty()) name = key;
        const bool up = Text(b, "state") == "UP";
        if (up && Text(b, "source") != "internal") any_up = true;
        const BrokerCounters now{Count(b, "connects"), Count(b, "disconnects"),
                                 Count(b, "txretries")};
        BrokerCounters before;
        if (const auto it = last_.find(name); it != last_.end()) before = it->second;
        totals_.connects += Growth(now.connects, before.connects);
        totals_.disconnects += Growth(now.disconnects, before.disconnects);
        totals_.retries += Growth(now.retries, before.retries);
        seen[name] = now;

        const Json& nodeid = Field(b, "nodeid");
        if (!nodeid.is_number_integer() || nodeid.get<int64_t>() < 0) continue;
        if (up) ++brokers_up;
        brokers.push_back({std::move(name), Number(Field(b, "rtt"), "avg") * kMicros,
                           Number(Field(b, "throttle"), "avg") * kMicros});
      }
    }
    last_ = std::move(seen);
    totals_.brokers_up = brokers_up;
    totals_.brokers = std::move(brokers);
    any_connection_up_ = any_up;

    if (const Json& topics = Field(doc, "topics"); topics.is_object()) {
      for (const auto& [topic, t] : topics.items()) {
        const Json& batchcnt = Field(t, "batchcnt");
        totals_.batches += Count(batchcnt, "cnt");
        totals_.batch_messages += Count(batchcnt, "sum");
        totals_.batch_bytes += Count(Field(t, "batchsize"), "sum");
      }
    }
    return true;
  } catch (...) {  // allocation failure or a type surprise: keep what we had
    return false;
  }
}

}  // namespace iiot
