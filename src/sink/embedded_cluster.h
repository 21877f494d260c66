// EmbeddedCluster: an in-process Kafka cluster (librdkafka's mock cluster) for runs
// without kafka.brokers, demos and tests. It listens on 127.0.0.1 ports, speaks the
// Kafka protocol to any client in this process or outside it, and holds every message
// in memory in this process only: nothing is written to disk and everything is gone when
// it is destroyed (or the process exits). Memory grows with what is produced.
//
// Thread-safety: thread-safe after construction (the accessors read constant data; the
// fault-injection calls are queued to the cluster's own thread). It must outlive every
// client connected to it (KafkaSink, TopicReader).
//
// Threads: librdkafka runs the cluster on its own internal threads; LogFn is called from
// them.
//
// Example:
//   Result<std::unique_ptr<EmbeddedCluster>> cluster = EmbeddedCluster::Start(cfg.kafka, log);
//   if (!cluster) return Fail(cluster.error);
//   auto sink = KafkaSink::Create(cfg.kafka, policy, log, cluster.value.get());
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <cstdint>
#include <string>

#include "config/config.h"
#include "sink/sink.h"

namespace iiot {

class EmbeddedCluster {
 public:
  // Starts kafka.embedded_brokers brokers (ids 1..n) and creates kafka.topic with
  // kafka.embedded_partitions partitions, replication min(3, brokers). Errors name the
  // key path ("kafka.embedded_brokers: must be at least 1").
  static Result<std::unique_ptr<EmbeddedCluster>> Start(const KafkaConfig& kafka, LogFn log);
  ~EmbeddedCluster();

  EmbeddedCluster(const EmbeddedCluster&) = delete;
  EmbeddedCluster& operator=(const EmbeddedCluster&) = delete;

  // bootstrap.servers for clients: "127.0.0.1:port,127.0.0.1:port,...".
  const std::string& bootstraps() const { return bootstraps_; }
  int brokers() const { return brokers_; }
  int partitions() const { return partitions_; }
  const std::string& topic() const { return topic_; }

  // Disconnects broker `id` (1..brokers, -1 all) and refuses new connections, or lets it
  // accept them again. Leadership does not move. For outage drills and tests.
  [[nodiscard]] bool SetBrokerDown(int32_t id);
  [[nodiscard]] bool SetBrokerUp(int32_t id);
  // The underlying mock cluster, for further fault injection in tests (rdkafka_mock.h).
  rd_kafka_mock_cluster_t* mock() const { return mock_; }

 private:
  EmbeddedCluster(LogFn log, std::string topic, int brokers, int partitions);
  static void OnLog(const rd_kafka_t* rk, int level, const char* facility, const char* line);

  // Constant after construction.
  const LogFn log_;
  const std::string topic_;
  const int brokers_;
  const int partitions_;
  rd_kafka_t* handle_ = nullptr;  // throwaway client the mock cluster is attached to
  rd_kafka_mock_cluster_t* mock_ = nullptr;
  std::string bootstraps_;
};

}  // namespace iiot
