// Shared by the obs tests: a parser for the text exposition and sample Kafka totals.
#pragma once

#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>

#include "sink/kafka_stats.h"

namespace iiot::obstest {

// One exposition, parsed: "name{labels}" -> value, and "# TYPE" lines: name -> type.
struct Exposition {
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;

  explicit Exposition(const std::string& text) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("# TYPE ", 0) == 0) {
        std::istringstream words(line.substr(7));
        std::string name, type;
        words >> name >> type;
        types[name] = type;
      } else if (!line.empty() && line[0] != '#') {
        const size_t space = line.rfind(' ');
        samples[line.substr(0, space)] = std::strtod(line.c_str() + space + 1, nullptr);
      }
    }
  }
  bool Has(const std::string& series) const { return samples.count(series) != 0; }
  double operator[](const std::string& series) const {
    const auto it = samples.find(series);
    return it == samples.end() ? std::nan("") : it->second;
  }
};

// Two brokers up, a few of every Kafka total.
inline KafkaStats TwoBrokers() {
  KafkaStats k;
  k.brokers_up = 2;
  k.connects = 3;
  k.disconnects = 1;
  k.retries = 4;
  k.batches = 10;
  k.batch_messages = 250;
  k.batch_bytes = 9000;
  k.brokers = {{"10.0.0.1:9092/1", 0.002, 0.0}, {"10.0.0.2:9092/2", 0.004, 0.5}};
  return k;
}

}  // namespace iiot::obstest
