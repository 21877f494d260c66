// HistogramObserver: a LatencyObserver that records each duration (nanoseconds) in a
// Prometheus histogram, in seconds. A negative duration (a message made before its due
// time, a clock step) is recorded as 0. Thread-safe; Observe does not allocate
// (prometheus::Histogram::Observe takes the histogram's own short mutex).
#pragma once

#include <prometheus/histogram.h>

#include <cstdint>

#include "sink/sink.h"

namespace iiot {

class HistogramObserver final : public LatencyObserver {
 public:
  // The histogram must outlive the observer.
  explicit HistogramObserver(prometheus::Histogram& histogram) : histogram_(histogram) {}

  void Observe(int64_t ns) noexcept override {
    histogram_.Observe(ns > 0 ? static_cast<double>(ns) * 1e-9 : 0.0);
  }

 private:
  prometheus::Histogram& histogram_;
};

}  // namespace iiot
