#include "sink/kafka_conf.h"

#include <fmt/format.h>

namespace iiot {

KafkaConf::KafkaConf() : conf_(rd_kafka_conf_new()) {}

KafkaConf::~KafkaConf() {
  if (conf_ != nullptr) rd_kafka_conf_destroy(conf_);
}

void KafkaConf::Set(std::string_view key_path, const char* name, const std::string& value) {
  char errstr[512];
  if (rd_kafka_conf_set(conf_, name, value.c_str(), errstr, sizeof(errstr)) != RD_KAFKA_CONF_OK &&
      error_.empty()) {
    error_ = fmt::format("{}: {}", key_path, errstr);
  }
}

void KafkaConf::SetAll(const std::map<std::string, std::string>& properties) {
  for (const auto& [name, value] : properties) {
    Set(fmt::format("kafka.properties.{}", name), name.c_str(), value);
  }
}

rd_kafka_conf_t* KafkaConf::Release() {
  rd_kafka_conf_t* c = conf_;
  conf_ = nullptr;
  return c;
}

std::string JoinBrokers(const std::vector<std::string>& brokers) {
  return fmt::format("{}", fmt::join(brokers, ","));
}

LogLevel LevelOfSyslog(int severity) {
  if (severity <= 3) return LogLevel::kError;
  if (severity == 4) return LogLevel::kWarn;
  if (severity <= 6) return LogLevel::kInfo;
  return LogLevel::kDebug;
}

}  // namespace iiot
