// The exposition as a whole: exactly the documented metrics, and valid for promtool.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "obs/metrics.h"
#include "obs_test_support.h"

namespace iiot {
namespace {

using obstest::Exposition;
using obstest::TwoBrokers;

Metrics NewMetrics() { return Metrics(BuildInfo{"0.1.0", "2.0.2"}); }

// The metric table of docs/metrics.md: name -> type.
std::map<std::string, std::string> DocumentedMetrics() {
  std::ifstream in(IIOT_SOURCE_DIR "/docs/metrics.md");
  std::map<std::string, std::string> documented;
  for (std::string line; std::getline(in, line);) {
    // | `iiot_name` | type | labels | meaning | source |  (or a standard `process_name`)
    if (line.rfind("| `iiot_", 0) != 0 && line.rfind("| `process_", 0) != 0) continue;
    const size_t end = line.find('`', 3);
    const std::string name = line.substr(3, end - 3);
    const size_t cell = line.find("| ", end) + 2;
    const std::string type = line.substr(cell, line.find(' ', cell) - cell);
    if (type == "counter" || type == "gauge" || type == "histogram") documented[name] = type;
  }
  return documented;
}

TEST(MetricsExposition, ExportsExactlyTheMetricsDocumentedInDocsMetricsMd) {
  const std::map<std::string, std::string> documented = DocumentedMetrics();
  ASSERT_GE(documented.size(), 30u);
  Metrics m = NewMetrics();
  MetricsSnapshot s;
  s.kafka = TwoBrokers();  // the broker series exist only while brokers are reported
  m.Update(s);
  const Exposition e(m.Serialize());
  for (const auto& [name, type] : documented) {
    ASSERT_TRUE(e.types.count(name)) << name << " is documented but not exported";
    EXPECT_EQ(e.types.at(name), type) << name;
  }
  for (const auto& [name, type] : e.types) {
    EXPECT_TRUE(documented.count(name)) << name << " is exported but not in docs/metrics.md";
  }
}

TEST(MetricsExposition, PromtoolAcceptsTheExposition) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "promtool is not on PATH";
  }
  Metrics m = NewMetrics();
  MetricsSnapshot s;
  s.kafka = TwoBrokers();
  s.delivered = 5;
  m.Update(s);
  m.delivery_latency().Observe(1'000'000);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("metrics-" + std::to_string(getpid()) + ".prom"))
          .string();
  {
    std::ofstream out(path);
    out << m.Serialize();
  }
  const std::string command = "promtool check metrics < '" + path + "' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buf[512];
  while (fgets(buf, sizeof(buf), pipe) != nullptr) output += buf;
  const int status = pclose(pipe);
  std::filesystem::remove(path);
  EXPECT_EQ(status, 0) << output;
}

}  // namespace
}  // namespace iiot
