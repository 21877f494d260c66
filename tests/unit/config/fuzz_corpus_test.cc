// Replays the config fuzzer's corpus (tests/fuzz/corpus/config/: the shipped configs, small
// interesting inputs and any crash reproducer added since) through the fuzzer's own check,
// so the ordinary unit tests hold what fuzzing found (tests/fuzz/config_roundtrip.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../../fuzz/config_roundtrip.h"

namespace iiot {
namespace {

std::vector<std::filesystem::path> CorpusFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(IIOT_SOURCE_DIR "/tests/fuzz/corpus/config")) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ConfigFuzzCorpus, EveryFileIsRejectedOrRoundTrips) {
  const std::vector<std::filesystem::path> files = CorpusFiles();
  EXPECT_GE(files.size(), 20u);
  for (const auto& path : files) {
    SCOPED_TRACE(path.filename().string());
    std::string problem;
    try {
      problem = fuzz::ConfigRoundTripProblem(Read(path));
    } catch (const std::exception& e) {
      problem = std::string("unexpected exception: ") + e.what();
    }
    EXPECT_EQ(problem, "");
  }
}

// The shipped configs as they are now (the corpus holds copies that may lag behind). Some
// need a secret from the environment and are rejected alone; most load, so the round trip
// is checked on real configurations, not only on rejected ones.
TEST(ConfigFuzzCorpus, ShippedConfigsRoundTrip) {
  size_t files = 0, loaded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(IIOT_SOURCE_DIR "/config")) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().filename().string());
    const std::string text = Read(entry.path());
    ++files;
    try {
      (void)LoadConfigFromText(text, entry.path().string());
      ++loaded;
    } catch (const ConfigError&) {
    }
    EXPECT_EQ(fuzz::ConfigRoundTripProblem(text), "");
  }
  EXPECT_GE(loaded, 4u) << "of " << files;
}

}  // namespace
}  // namespace iiot
