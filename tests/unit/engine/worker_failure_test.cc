// A worker that fails mid-run (here its sink throws std::bad_alloc after a while) stops the
// run for every worker, in every clock mode, with the reason kept for the summary: no
// std::terminate, and no lockstep barrier left waiting for it.
#include <gtest/gtest.h>

#include <atomic>
#include <new>
#include <string>

#include "config/config_loader.h"
#include "engine/worker_pool.h"
#include "recording_sink.h"

namespace iiot {
namespace {

// Takes `budget` messages, then throws std::bad_alloc from Send.
class ExhaustedSink : public testing::RecordingSink {
 public:
  explicit ExhaustedSink(int budget) : budget_(budget) {}
  SendResult Send(std::string_view key, std::string_view value, int64_t ns) override {
    if (budget_.fetch_sub(1) <= 0) throw std::bad_alloc();
    return RecordingSink::Send(key, value, ns);
  }

 private:
  std::atomic<int> budget_;
};

TEST(WorkerFailure, AThrowingWorkerStopsTheRunWithItsReason) {
  for (const Mode mode : {Mode::kMax, Mode::kBackfill, Mode::kRate, Mode::kRealtime}) {
    Config cfg;
    cfg.fleet.devices = 2000;
    cfg.fleet.profiles = DefaultProfiles();
    cfg.run.mode = mode;
    cfg.run.threads = 3;
    cfg.run.start = 1'767'225'600'000;
    cfg.run.from = 1'767'225'600'000;
    cfg.run.to = 1'767'225'600'000 + 86'400'000;
    cfg.run.rate = 5000;
    cfg.run.interval = Millis{100};
    Validate(cfg);
    const Fleet fleet(cfg);
    ExhaustedSink sink(500);
    WorkerPool pool(cfg, fleet, sink);
    ASSERT_TRUE(pool.Start().has_value());
    pool.Join();  // returns: every worker stopped
    EXPECT_TRUE(pool.Finished()) << Name(mode);
    EXPECT_NE(pool.Failure().find("out of memory"), std::string::npos) << Name(mode);
    EXPECT_EQ(sink.size(), 500u) << Name(mode);
  }
}

}  // namespace
}  // namespace iiot
