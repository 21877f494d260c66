#include "obs/histogram_observer.h"

#include <gtest/gtest.h>
#include <prometheus/histogram.h>

#include <random>
#include <vector>

#include "../allocation_counter.h"  // counts heap allocations (g_allocations)

namespace iiot {
namespace {

TEST(HistogramObserver, RecordsNanosecondsAsSeconds) {
  const prometheus::Histogram::BucketBoundaries buckets{0.001, 0.01, 0.1};
  prometheus::Histogram h(buckets);
  HistogramObserver observer(h, buckets);
  observer.Observe(5'000'000);  // 5 ms
  observer.Observe(-1'000);     // negative: 0
  const prometheus::ClientMetric m = h.Collect();
  EXPECT_EQ(m.histogram.sample_count, 2u);
  EXPECT_DOUBLE_EQ(m.histogram.sample_sum, 0.005);
  EXPECT_EQ(m.histogram.bucket[0].cumulative_count, 1u);  // the 0
  EXPECT_EQ(m.histogram.bucket[1].cumulative_count, 2u);
}

TEST(HistogramObserver, ObserveDoesNotAllocate) {
  const prometheus::Histogram::BucketBoundaries buckets{0.001, 0.01, 0.1};
  prometheus::Histogram h(buckets);
  HistogramObserver observer(h, buckets);
  LatencyObserver& as_sinks_see_it = observer;
  as_sinks_see_it.Observe(1);  // warm-up
  const uint64_t before = g_allocations.load();
  for (int i = 0; i < 10'000; ++i) as_sinks_see_it.Observe(int64_t{i} * 1000);
  EXPECT_EQ(g_allocations.load(), before);
  EXPECT_EQ(h.Collect().histogram.sample_count, 10'001u);
}

// A batch lands in the same buckets, with the same sum, as the same values one at a time:
// values on a bucket's bound, between bounds, above the last and negative ones included.
TEST(HistogramObserver, ObserveManyMatchesObservingEachInTurn) {
  const prometheus::Histogram::BucketBoundaries buckets{0.0005, 0.001, 0.0025, 0.01, 0.1, 1};
  std::vector<int64_t> values{0,         -5,         500'000,     500'001,       1'000'000,
                              2'500'000, 99'999'999, 100'000'000, 1'000'000'000, 7'000'000'000};
  std::mt19937_64 rng(12);
  for (int i = 0; i < 5000; ++i) {
    values.push_back(static_cast<int64_t>(rng() % 3'000'000'000) - 1'000'000);
  }
  prometheus::Histogram one_by_one(buckets), batched(buckets);
  HistogramObserver each(one_by_one, buckets), many(batched, buckets);
  for (const int64_t v : values) each.Observe(v);
  many.ObserveMany(std::span<const int64_t>(values).first(7));
  many.ObserveMany(std::span<const int64_t>(values).subspan(7));
  const auto a = one_by_one.Collect().histogram;
  const auto b = batched.Collect().histogram;
  EXPECT_EQ(b.sample_count, values.size());
  EXPECT_EQ(a.sample_count, b.sample_count);
  EXPECT_NEAR(a.sample_sum, b.sample_sum, 1e-6);
  ASSERT_EQ(a.bucket.size(), b.bucket.size());
  for (size_t i = 0; i < a.bucket.size(); ++i) {
    EXPECT_EQ(a.bucket[i].cumulative_count, b.bucket[i].cumulative_count) << "bucket " << i;
  }
}

TEST(HistogramObserver, ObserveManyDoesNotAllocateOnceWarm) {
  const prometheus::Histogram::BucketBoundaries buckets{0.001, 0.01, 0.1};
  prometheus::Histogram h(buckets);
  HistogramObserver observer(h, buckets);
  const std::vector<int64_t> batch(200, 3'000'000);
  observer.ObserveMany(batch);  // warm-up: this thread's scratch
  const uint64_t before = g_allocations.load();
  for (int i = 0; i < 1000; ++i) observer.ObserveMany(batch);
  EXPECT_EQ(g_allocations.load(), before);
  EXPECT_EQ(h.Collect().histogram.sample_count, 1001u * 200u);
}

}  // namespace
}  // namespace iiot
