#include "obs/histogram_observer.h"

#include <gtest/gtest.h>
#include <prometheus/histogram.h>

#include "../allocation_counter.h"  // counts heap allocations (g_allocations)

namespace iiot {
namespace {

TEST(HistogramObserver, RecordsNanosecondsAsSeconds) {
  prometheus::Histogram h({0.001, 0.01, 0.1});
  HistogramObserver observer(h);
  observer.Observe(5'000'000);  // 5 ms
  observer.Observe(-1'000);     // negative: 0
  const prometheus::ClientMetric m = h.Collect();
  EXPECT_EQ(m.histogram.sample_count, 2u);
  EXPECT_DOUBLE_EQ(m.histogram.sample_sum, 0.005);
  EXPECT_EQ(m.histogram.bucket[0].cumulative_count, 1u);  // the 0
  EXPECT_EQ(m.histogram.bucket[1].cumulative_count, 2u);
}

TEST(HistogramObserver, ObserveDoesNotAllocate) {
  prometheus::Histogram h({0.001, 0.01, 0.1});
  HistogramObserver observer(h);
  LatencyObserver& as_sinks_see_it = observer;
  as_sinks_see_it.Observe(1);  // warm-up
  const uint64_t before = g_allocations.load();
  for (int i = 0; i < 10'000; ++i) as_sinks_see_it.Observe(int64_t{i} * 1000);
  EXPECT_EQ(g_allocations.load(), before);
  EXPECT_EQ(h.Collect().histogram.sample_count, 10'001u);
}

}  // namespace
}  // namespace iiot
