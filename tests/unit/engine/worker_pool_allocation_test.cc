// Proves a running WorkerPool's per-message path (sample, count anomalies, probe, encode,
// send) allocates nothing: global operator new is replaced by a counting one, and after a
// first run has paid for one-time initialisations, a run of 100,000 messages must allocate
// exactly as much as a run of 20,000 — set-up costs the same in both, so any per-message
// allocation would show as the difference.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>

#include "../allocation_counter.h"
#include "config/config_loader.h"
#include "engine/worker_pool.h"

namespace iiot {
namespace {

// Counts messages and nothing else; allocates nothing. Thread-safe.
class CountingSink : public Sink {
 public:
  SendResult Send(std::string_view, std::string_view, int64_t) override {
    counters_.produced.fetch_add(1, std::memory_order_relaxed);
    counters_.delivered.fetch_add(1, std::memory_order_relaxed);
    return SendResult::kQueued;
  }
  bool Close(std::chrono::milliseconds) override { return true; }
  void Interrupt() override {}
  const DeliveryCounters& counters() const override { return counters_; }
  std::string Describe() const override { return "counting"; }

 private:
  DeliveryCounters counters_;
};

// Sums what it is told; allocates nothing. Thread-safe.
class SummingObserver : public LatencyObserver {
 public:
  void Observe(int64_t ns) noexcept override { sum.fetch_add(ns, std::memory_order_relaxed); }
  std::atomic<int64_t> sum{0};
};

// Allocations made by constructing, running to `count` and destroying a WorkerPool.
uint64_t AllocationsOfARun(uint64_t count) {
  Config cfg;
  cfg.fleet.devices = 500;
  cfg.fleet.profiles = DefaultProfiles();
  cfg.run.mode = Mode::kMax;
  cfg.run.start = 1'767'225'600'000;
  cfg.run.count = count;
  cfg.run.threads = 1;
  cfg.anomalies = {0.01, 0.01, 0.01, 0.01, 0.01, 3, 20};  // counted on the way
  Validate(cfg);
  const Fleet fleet(cfg);
  CountingSink sink;
  SummingObserver encode, lag;
  const uint64_t before = g_allocations.load();
  {
    WorkerPool p(cfg, fleet, sink);
    p.SetProbes(&encode, &lag);
    EXPECT_TRUE(p.Start().has_value());
    p.Join();
    EXPECT_EQ(p.Generated(), count);
  }
  const uint64_t after = g_allocations.load();
  EXPECT_GT(encode.sum.load(), 0);
  return after - before;
}

TEST(ProducerAllocations, MessagesAllocateNothing) {
  AllocationsOfARun(1000);  // one-time initialisations (statics, the encoder's tables)
  const uint64_t short_run = AllocationsOfARun(20'000);
  const uint64_t long_run = AllocationsOfARun(100'000);
  EXPECT_EQ(long_run, short_run);
}

}  // namespace
}  // namespace iiot
