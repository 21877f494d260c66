// Reloader: re-reading the run's sources, refusing what needs a restart, keeping the
// running config on any error, and versioning what was applied.
#include "reload/reloader.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "../config/config_test_files.h"
#include "config/config_loader.h"

namespace iiot {
namespace {

void Rewrite(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

struct Recorded {
  std::vector<Config> applied;
  std::vector<std::string> counted;
};

Reloader::Hooks RecordingHooks(Recorded& r, std::string refuse_key = "") {
  return {.check =
              [refuse_key](const Config&, const Config&, const std::vector<std::string>& changed) {
                for (const std::string& k : changed)
                  if (k == refuse_key) return k + " cannot change while running (restart needed)";
                return std::string();
              },
          .apply = [&r](const Config& next) { r.applied.push_back(next); },
          .counted = [&r](std::string_view result) { r.counted.emplace_back(result); }};
}

Reloader Make(const TempFile& file, Recorded& r, std::string refuse_key = "",
              std::vector<ConfigSources::Override> overrides = {}) {
  ConfigSources src;
  src.file = file.path();
  src.overrides = std::move(overrides);
  return Reloader(src, LoadConfig(src), RecordingHooks(r, std::move(refuse_key)));
}

TEST(Reloader, AppliesAChangedRateAndBumpsTheVersion) {
  TempFile file("run:\n  mode: rate\n  rate: 1000\n");
  Recorded r;
  Reloader reloader = Make(file, r);
  EXPECT_EQ(reloader.Version(), 1u);
  EXPECT_FALSE(reloader.Last().has_value());

  Rewrite(file.path(), "run:\n  mode: rate\n  rate: 5000\n");
  const Reloader::Outcome o = reloader.Reload("test");
  EXPECT_EQ(o.result, "applied");
  EXPECT_EQ(o.changed, std::vector<std::string>{"run.rate"});
  EXPECT_EQ(o.version, 2u);
  EXPECT_EQ(reloader.Version(), 2u);
  EXPECT_DOUBLE_EQ(reloader.Current().run.rate, 5000);
  ASSERT_EQ(r.applied.size(), 1u);
  EXPECT_DOUBLE_EQ(r.applied[0].run.rate, 5000);
  EXPECT_EQ(r.counted, std::vector<std::string>{"applied"});
  ASSERT_TRUE(reloader.Last().has_value());
  EXPECT_EQ(reloader.Last()->result, "applied");
}

TEST(Reloader, NothingChangedIsNotAVersion) {
  TempFile file("run:\n  mode: rate\n  rate: 1000\n");
  Recorded r;
  Reloader reloader = Make(file, r);
  const Reloader::Outcome o = reloader.Reload("test");
  EXPECT_EQ(o.result, "unchanged");
  EXPECT_EQ(o.version, 1u);
  EXPECT_TRUE(r.applied.empty());
}

TEST(Reloader, InvalidFileKeepsTheRunningConfigAndSaysWhere) {
  TempFile file("run:\n  mode: rate\n  rate: 1000\n");
  Recorded r;
  Reloader reloader = Make(file, r);
  Rewrite(file.path(), "run:\n  mode: rate\n  rate: -5\n");
  const Reloader::Outcome o = reloader.Reload("test");
  EXPECT_EQ(o.result, "invalid");
  EXPECT_NE(o.error.find("run.rate"), std::string::npos) << o.error;
  EXPECT_NE(o.error.find(":3:"), std::string::npos) << "names the line: " << o.error;
  EXPECT_EQ(o.version, 1u);
  EXPECT_DOUBLE_EQ(reloader.Current().run.rate, 1000);
  EXPECT_TRUE(r.applied.empty());
  EXPECT_EQ(r.counted, std::vector<std::string>{"invalid"});
  EXPECT_EQ(reloader.Last()->error, o.error);

  Rewrite(file.path(), "run:\n  mode: rate\n  rate: [unclosed\n");
  EXPECT_EQ(reloader.Reload("test").result, "invalid");

  // Fixing the file applies it.
  Rewrite(file.path(), "run:\n  mode: rate\n  rate: 2000\n");
  EXPECT_EQ(reloader.Reload("test").result, "applied");
  EXPECT_EQ(reloader.Last()->error, "");
}

TEST(Reloader, ChangeNeedingARestartIsRejectedWholly) {
  TempFile file("run:\n  mode: rate\n  rate: 1000\nkafka:\n  topic: a\n");
  Recorded r;
  Reloader reloader = Make(file, r, "kafka.topic");
  Rewrite(file.path(), "run:\n  mode: rate\n  rate: 3000\nkafka:\n  topic: b\n");
  const Reloader::Outcome o = reloader.Reload("test");
  EXPECT_EQ(o.result, "rejected");
  EXPECT_NE(o.error.find("kafka.topic"), std::string::npos) << o.error;
  EXPECT_DOUBLE_EQ(reloader.Current().run.rate, 1000) << "no part of a rejected reload applies";
  EXPECT_EQ(reloader.Current().kafka.topic, "a");
  EXPECT_TRUE(r.applied.empty());
}

TEST(Reloader, FlagsStillWinOverTheFile) {
  TempFile file("run:\n  mode: rate\n  rate: 1000\nfleet:\n  devices: 10\n");
  Recorded r;
  Reloader reloader = Make(file, r, "", {{"run.rate", "7000", "--rate"}});
  Rewrite(file.path(), "run:\n  mode: rate\n  rate: 2000\nfleet:\n  devices: 20\n");
  const Reloader::Outcome o = reloader.Reload("test");
  EXPECT_EQ(o.result, "applied");
  EXPECT_EQ(o.changed, std::vector<std::string>{"fleet.devices"});
  EXPECT_DOUBLE_EQ(reloader.Current().run.rate, 7000);
}

TEST(Reloader, WithoutAFileThereIsNothingToReload) {
  ConfigSources src;
  Recorded r;
  Reloader reloader(src, LoadConfig(src), RecordingHooks(r));
  const Reloader::Outcome o = reloader.Reload("test");
  EXPECT_EQ(o.result, "rejected");
  EXPECT_NE(o.error.find("--config"), std::string::npos) << o.error;
}

}  // namespace
}  // namespace iiot
