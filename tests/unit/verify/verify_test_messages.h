// Messages for the verify tests: valid JSON and Protobuf values built by hand (any device
// id, any seq), and a plain librdkafka producer that writes them to chosen partitions of
// an embedded cluster, byte for byte and in order.
#pragma once

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "reading.pb.h"

namespace iiot::verifytest {

inline std::string JsonValue(const std::string& device, uint64_t seq) {
  return R"({"device_id":")" + device + R"(","seq":)" + std::to_string(seq) +
         R"(,"ts":"2026-01-01T00:00:00.000Z","profile":"boiler-room","location":{"site":"plant1","building":"b01","floor":1,"room":"r001"},"readings":{"temperature":{"value":24.87,"unit":"C"},"switch":{"value":true}},"quality":"good","anomaly":null})";
}

inline std::string ProtoValue(const std::string& device, uint64_t seq) {
  v1::Reading m;
  m.set_device_id(device);
  m.set_seq(seq);
  m.set_ts_ms(1'767'225'600'000);
  m.set_profile("boiler-room");
  m.mutable_location()->set_site("plant1");
  m.mutable_location()->set_building("b01");
  m.mutable_location()->set_floor(1);
  m.mutable_location()->set_room("r001");
  v1::SensorReading* t = m.add_readings();
  t->set_sensor("temperature");
  t->set_number(24.87);
  t->set_unit("C");
  m.set_quality("good");
  return m.SerializeAsString();
}

// A producer writing exactly the given bytes, to the given partition, in call order
// (one request in flight). Not thread-safe.
class RawProducer {
 public:
  static constexpr int32_t kByKey = RD_KAFKA_PARTITION_UA;

  RawProducer(const std::string& bootstraps, std::string topic) : topic_(std::move(topic)) {
    char err[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    for (const auto& [k, v] :
         {std::pair{"bootstrap.servers", bootstraps.c_str()}, std::pair{"linger.ms", "0"},
          std::pair{"max.in.flight.requests.per.connection", "1"}}) {
      EXPECT_EQ(rd_kafka_conf_set(conf, k, v, err, sizeof err), RD_KAFKA_CONF_OK) << err;
    }
    rd_kafka_conf_set_dr_msg_cb(conf, &RawProducer::OnDelivery);
    rd_kafka_conf_set_opaque(conf, this);
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    EXPECT_NE(rk_, nullptr) << err;
  }
  ~RawProducer() {
    if (rk_ != nullptr) rd_kafka_destroy(rk_);
  }
  RawProducer(const RawProducer&) = delete;
  RawProducer& operator=(const RawProducer&) = delete;

  // key may be null, and the value absent with null_value. Offsets follow call order.
  void Send(int32_t partition, const char* key, std::string_view value, bool null_value = false) {
    const rd_kafka_resp_err_t err =
        rd_kafka_producev(rk_, RD_KAFKA_V_TOPIC(topic_.c_str()), RD_KAFKA_V_PARTITION(partition),
                          RD_KAFKA_V_KEY(key, key ? std::string_view(key).size() : 0),
                          RD_KAFKA_V_VALUE(null_value ? nullptr : const_cast<char*>(value.data()),
                                           null_value ? 0 : value.size()),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
    EXPECT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR) << rd_kafka_err2str(err);
    ++sent_;
  }
  void Send(int32_t partition, const std::string& key, std::string_view value) {
    Send(partition, key.c_str(), value);
  }

  // Waits for every delivery; true when all were acknowledged.
  bool Flush() {
    rd_kafka_flush(rk_, 20'000);
    return delivered_.load() == sent_ && failed_.load() == 0;
  }

 private:
  static void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
    auto* self = static_cast<RawProducer*>(opaque);
    (m->err == RD_KAFKA_RESP_ERR_NO_ERROR ? self->delivered_ : self->failed_)++;
  }

  const std::string topic_;
  rd_kafka_t* rk_ = nullptr;
  uint64_t sent_ = 0;
  std::atomic<uint64_t> delivered_{0};
  std::atomic<uint64_t> failed_{0};
};

}  // namespace iiot::verifytest
