#include "sink/embedded_cluster.h"

#include <fmt/format.h>

#include <algorithm>

#include "sink/kafka_conf.h"
#include "sink/kafka_error.h"

namespace iiot {

Result<std::unique_ptr<EmbeddedCluster>> EmbeddedCluster::Start(const KafkaConfig& kafka,
                                                                LogFn log) {
  if (kafka.embedded_brokers < 1 || kafka.embedded_brokers > 64) {
    return ConfigFail("kafka.embedded_brokers: must be between 1 and 64");
  }
  if (kafka.embedded_partitions < 1 || kafka.embedded_partitions > 10'000) {
    return ConfigFail("kafka.embedded_partitions: must be between 1 and 10000");
  }
  std::unique_ptr<EmbeddedCluster> cluster(
      new EmbeddedCluster(std::move(log), kafka.topic, static_cast<int>(kafka.embedded_brokers),
                          static_cast<int>(kafka.embedded_partitions)));

  KafkaConf conf;
  conf.Set("embedded.client_id", "client.id", "iiot-embedded-cluster");
  // The handle never connects anywhere; quiet its "no bootstrap servers" notice.
  conf.Set("embedded.log_level", "log_level", "3");
  rd_kafka_conf_set_log_cb(conf.get(), &EmbeddedCluster::OnLog);
  rd_kafka_conf_set_opaque(conf.get(), cluster.get());
  rd_kafka_conf_t* raw = conf.Release();
  char errstr[512];
  cluster->handle_ = rd_kafka_new(RD_KAFKA_PRODUCER, raw, errstr, sizeof(errstr));
  if (cluster->handle_ == nullptr) {
    rd_kafka_conf_destroy(raw);
    return Fail(fmt::format("embedded Kafka cluster: {}", errstr));
  }
  cluster->mock_ = rd_kafka_mock_cluster_new(cluster->handle_, cluster->brokers_);
  if (cluster->mock_ == nullptr) {
    return Fail("embedded Kafka cluster: could not start the brokers (no free ports?)");
  }
  cluster->bootstraps_ = rd_kafka_mock_cluster_bootstraps(cluster->mock_);
  const KafkaError err{rd_kafka_mock_topic_create(cluster->mock_, cluster->topic_.c_str(),
                                                  cluster->partitions_,
                                                  std::min(3, cluster->brokers_))};
  if (!err.ok()) {
    return ConfigFail(fmt::format("kafka.topic: cannot create \"{}\" on the embedded cluster: {}",
                                  cluster->topic_, err.Text()));
  }
  return cluster;
}

EmbeddedCluster::EmbeddedCluster(LogFn log, std::string topic, int brokers, int partitions)
    : log_(std::move(log)), topic_(std::move(topic)), brokers_(brokers), partitions_(partitions) {}

EmbeddedCluster::~EmbeddedCluster() {
  if (mock_ != nullptr) rd_kafka_mock_cluster_destroy(mock_);
  if (handle_ != nullptr) rd_kafka_destroy(handle_);
}

bool EmbeddedCluster::SetBrokerDown(int32_t id) {
  return rd_kafka_mock_broker_set_down(mock_, id) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

bool EmbeddedCluster::SetBrokerUp(int32_t id) {
  return rd_kafka_mock_broker_set_up(mock_, id) == RD_KAFKA_RESP_ERR_NO_ERROR;
}

void EmbeddedCluster::OnLog(const rd_kafka_t* rk, int level, const char* facility,
                            const char* line) {
  const auto* cluster = static_cast<const EmbeddedCluster*>(rd_kafka_opaque(rk));
  if (cluster == nullptr || !cluster->log_) return;
  cluster->log_(LevelOfSyslog(level), fmt::format("embedded cluster {}: {}", facility, line));
}

}  // namespace iiot
