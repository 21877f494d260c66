// KafkaConf: a librdkafka configuration under construction that remembers, by this
// program's key path, the first property librdkafka rejects
// ("kafka.compression: Invalid value ...", "kafka.properties.foo: No such configuration
// property: \"foo\""). Shared by the producer (KafkaSink) and the consumer (TopicReader)
// so both accept the same kafka.properties pass-through. Not thread-safe; one owner.
//
// Example:
//   KafkaConf conf;
//   conf.Set("kafka.client_id", "client.id", cfg.client_id);
//   conf.SetAll(cfg.properties);        // user properties last: the user wins
//   if (!conf.error().empty()) return Fail(conf.error());
//   rd_kafka_conf_t* raw = conf.Release();
#pragma once

#include <librdkafka/rdkafka.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sink/sink.h"

namespace iiot {

class KafkaConf {
 public:
  KafkaConf();
  ~KafkaConf();
  KafkaConf(const KafkaConf&) = delete;
  KafkaConf& operator=(const KafkaConf&) = delete;

  // Sets one property; a rejection is remembered as "<key_path>: <librdkafka's reason>"
  // (the first one wins; later calls still apply).
  void Set(std::string_view key_path, const char* name, const std::string& value);
  // Sets every kafka.properties entry, each reported as kafka.properties.<name>.
  void SetAll(const std::map<std::string, std::string>& properties);

  // "" when every property was accepted.
  const std::string& error() const { return error_; }
  rd_kafka_conf_t* get() const { return conf_; }
  // Hands the configuration over (to rd_kafka_new); this object is empty afterwards.
  rd_kafka_conf_t* Release();

 private:
  rd_kafka_conf_t* conf_;
  std::string error_;
};

// Joins broker addresses as a bootstrap.servers value ("a:9092,b:9092").
std::string JoinBrokers(const std::vector<std::string>& brokers);

// librdkafka severity (syslog levels 0..7) to ours.
LogLevel LevelOfSyslog(int severity);

}  // namespace iiot
