// HistogramObserver: a LatencyObserver that records each duration (nanoseconds) in a
// Prometheus histogram, in seconds. A negative duration (a message made before its due
// time, a clock step) is recorded as 0. Thread-safe; Observe does not allocate
// (prometheus::Histogram::Observe takes the histogram's own short mutex). ObserveMany
// sorts a batch into buckets first and takes that mutex once for the lot, so threads
// delivering batches do not meet on it per message.
#pragma once

#include <prometheus/histogram.h>

#include <cstdint>
#include <span>
#include <vector>

#include "sink/sink.h"

namespace iiot {

class HistogramObserver final : public LatencyObserver {
 public:
  // The histogram must outlive the observer; buckets are the ones it was made with.
  HistogramObserver(prometheus::Histogram& histogram,
                    prometheus::Histogram::BucketBoundaries buckets)
      : histogram_(histogram), buckets_(std::move(buckets)) {}

  void Observe(int64_t ns) noexcept override { histogram_.Observe(Seconds(ns)); }
  void ObserveMany(std::span<const int64_t> latencies_ns) noexcept override;

 private:
  static double Seconds(int64_t ns) { return ns > 0 ? static_cast<double>(ns) * 1e-9 : 0.0; }

  prometheus::Histogram& histogram_;
  const prometheus::Histogram::BucketBoundaries buckets_;
};

}  // namespace iiot
