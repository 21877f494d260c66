// The app tests' one fake, at the sink seam: a sink that keeps every message it is sent,
// in arrival order, and the JSON messages parsed back. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "config/config_loader.h"
#include "sink/sink.h"

namespace iiot::testing {

class RecordingSink : public Sink {
 public:
  SendResult Send(std::string_view key, std::string_view value, int64_t) override {
    std::lock_guard<std::mutex> lock(mu_);
    messages_.emplace_back(std::string(key), std::string(value));
    counters_.produced++;
    counters_.delivered++;
    return SendResult::kQueued;
  }
  bool Close(std::chrono::milliseconds) override { return true; }
  void Interrupt() override {}
  const DeliveryCounters& counters() const override { return counters_; }
  std::string Describe() const override { return "recording"; }

  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_.size();
  }
  std::vector<std::pair<std::string, std::string>> messages() const {
    std::lock_guard<std::mutex> lock(mu_);
    return messages_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> messages_;  // guarded by mu_
  DeliveryCounters counters_;
};

// One JSON message, parsed.
struct Message {
  std::string id;
  uint64_t device = 0;  // the number at the end of the id
  uint64_t seq = 0;
  UnixMillis ts = 0;
  nlohmann::json json;
};

inline std::vector<Message> Parse(const std::vector<std::pair<std::string, std::string>>& raw) {
  std::vector<Message> out;
  out.reserve(raw.size());
  for (const auto& [key, value] : raw) {
    Message m;
    m.id = key;
    m.device = std::stoull(key.substr(key.rfind("-d") + 2));
    m.json = nlohmann::json::parse(value);
    m.seq = m.json["seq"];
    m.ts = *ParseTimestamp(m.json["ts"].get<std::string>()).value();
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace iiot::testing
