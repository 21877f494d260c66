// RunWindow: deltas over recent spans, and the readiness and alert verdicts built on them.
#include "obs/run_window.h"

#include <gtest/gtest.h>

#include "obs/alert_check.h"
#include "obs/readiness.h"

namespace iiot {
namespace {

using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// Latency histogram with bounds 0.01, 0.1, 1, +Inf.
HistogramCounts Latency(uint64_t le10ms, uint64_t le100ms, uint64_t le1s, uint64_t total) {
  return {
      {0.01, 0.1, 1.0, std::numeric_limits<double>::infinity()}, {le10ms, le100ms, le1s, total}, 0};
}

RunSample At(Clock::time_point t0, int s, uint64_t delivered, uint64_t failed,
             HistogramCounts latency = Latency(0, 0, 0, 0)) {
  RunSample r;
  r.at = t0 + seconds(s);
  r.generated = delivered + failed;
  r.delivered = delivered;
  r.failed = failed;
  r.latency = std::move(latency);
  return r;
}

TEST(RunWindow, DeltaOverASpanUsesTheSampleThatOld) {
  RunWindow w(seconds(60));
  const auto t0 = Clock::now();
  EXPECT_FALSE(w.Over(seconds(10)).has_value());
  for (int s = 0; s <= 20; ++s) w.Add(At(t0, s, 100u * static_cast<uint64_t>(s), 0));
  const std::optional<WindowDelta> d = w.Over(seconds(10));
  ASSERT_TRUE(d.has_value());
  EXPECT_DOUBLE_EQ(d->seconds, 10);
  EXPECT_EQ(d->delivered, 1000u);
  EXPECT_DOUBLE_EQ(d->PerSecond(d->delivered), 100);
  // A span longer than the history: the oldest sample.
  EXPECT_DOUBLE_EQ(w.Over(seconds(600))->seconds, 20);
}

TEST(RunWindow, ForgetsSamplesOlderThanItKeeps) {
  RunWindow w(seconds(5));
  const auto t0 = Clock::now();
  for (int s = 0; s <= 100; ++s) w.Add(At(t0, s, static_cast<uint64_t>(s), 0));
  EXPECT_LE(w.Over(seconds(600))->seconds, 6);
  EXPECT_GE(w.Over(seconds(600))->seconds, 5);
}

TEST(RunWindow, ErrorRatioAndLatencyQuantiles) {
  RunWindow w(seconds(60));
  const auto t0 = Clock::now();
  w.Add(At(t0, 0, 0, 0));
  EXPECT_FALSE(w.Over(seconds(1)).has_value()) << "one sample is no span";
  // 90 delivered (all within 100 ms, 50 within 10 ms), 10 failed.
  w.Add(At(t0, 1, 90, 10, Latency(50, 90, 90, 90)));
  const WindowDelta d = *w.Over(seconds(1));
  EXPECT_EQ(d.Outcomes(), 100u);
  EXPECT_DOUBLE_EQ(d.ErrorRatio(), 0.1);
  ASSERT_TRUE(d.Latency(0.5).has_value());
  EXPECT_LE(*d.Latency(0.5), 0.01);
  EXPECT_GT(*d.Latency(0.95), 0.01);
  EXPECT_LE(*d.Latency(0.95), 0.1);
}

TEST(Readiness, FollowsPhaseConnectionAndSuccessRate) {
  ReadinessInput in;
  EXPECT_EQ(EvaluateReadiness(in).reason, "starting");
  in.producing = true;
  EXPECT_TRUE(EvaluateReadiness(in).ok);

  in.kafka = true;
  in.connected = false;
  in.brokers = "127.0.0.1:9092";
  in.last_error = "connection refused";
  const Readiness down = EvaluateReadiness(in);
  EXPECT_FALSE(down.ok);
  EXPECT_NE(down.reason.find("127.0.0.1:9092"), std::string::npos) << down.reason;
  EXPECT_NE(down.reason.find("connection refused"), std::string::npos) << down.reason;

  in.connected = true;
  WindowDelta d;
  d.seconds = 10;
  d.delivered = 80;
  d.failed = 20;
  in.recent = d;
  in.min_success = 0.9;
  const Readiness failing = EvaluateReadiness(in);
  EXPECT_FALSE(failing.ok);
  EXPECT_NE(failing.reason.find("admin.ready_min_success"), std::string::npos) << failing.reason;
  in.min_success = 0.8;
  EXPECT_TRUE(EvaluateReadiness(in).ok);

  in.stopping = true;
  EXPECT_FALSE(EvaluateReadiness(in).ok);
}

TEST(Readiness, WaitingForABrokerIsTheReasonUntilProducing) {
  ReadinessInput in;
  in.kafka = true;
  in.connected = false;
  in.waiting = "waiting for a Kafka broker at 127.0.0.1:9092 (20 s so far): connection refused";
  const Readiness waiting = EvaluateReadiness(in);
  EXPECT_FALSE(waiting.ok);
  EXPECT_EQ(waiting.reason, in.waiting);
  in.producing = true;
  in.connected = true;
  EXPECT_TRUE(EvaluateReadiness(in).ok);
}

TEST(Readiness, AFatalErrorSinceTheLastCheckIsNotReadyEvenWhenAlreadyRebuilt) {
  ReadinessInput in;
  in.producing = true;
  in.kafka = true;
  in.connected = true;  // the rebuild was faster than one check
  in.fatal_since_last_check = true;
  in.last_error = "fatal producer error: drill";
  const Readiness r = EvaluateReadiness(in);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason,
            "the Kafka producer hit a fatal error and is rebuilt: fatal producer error: drill");
  in.fatal_since_last_check = false;
  EXPECT_TRUE(EvaluateReadiness(in).ok);
}

TEST(AlertCheck, FiresOnceOnCrossingAndResolves) {
  AlertsConfig t;  // error_rate 1%, latency_p95 5s, queue_fill 80%
  AlertCheck check;
  WindowDelta ok;
  ok.seconds = 30;
  ok.delivered = 1000;
  ok.latency_now = Latency(1000, 1000, 1000, 1000);
  EXPECT_TRUE(check.Check(t, ok, 10, 1000).empty());

  WindowDelta bad = ok;
  bad.failed = 100;
  std::vector<AlertEvent> e = check.Check(t, bad, 900, 1000);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_STREQ(e[0].alert, "error_rate");
  EXPECT_TRUE(e[0].firing);
  EXPECT_NE(e[0].line.find("alerts.error_rate"), std::string::npos) << e[0].line;
  EXPECT_STREQ(e[1].alert, "queue_depth");
  EXPECT_TRUE(check.Check(t, bad, 900, 1000).empty()) << "still firing: no new line";

  e = check.Check(t, ok, 10, 1000);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_FALSE(e[0].firing);
  EXPECT_FALSE(e[1].firing);

  WindowDelta slow = ok;
  slow.latency_now = Latency(0, 0, 0, 1000);  // everything over 1 s
  t.latency_p95 = std::chrono::milliseconds(500);
  e = check.Check(t, slow, 10, 1000);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_STREQ(e[0].alert, "latency");
  // No verdict without data: nothing changes.
  EXPECT_TRUE(check.Check(t, std::nullopt, 0, 0).empty());
}

}  // namespace
}  // namespace iiot
