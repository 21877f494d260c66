// The run's human output: the one-line status refreshed each second on a terminal, and
// the summary printed at exit. Pure formatting over snapshots; thread-compatible.
#pragma once

#include <cstdint>
#include <string>

#include "base/text.h"
#include "engine/run_state.h"
#include "sink/sink.h"

namespace iiot {

// A point-in-time copy of the counters a status line or summary shows.
struct RunSnapshot {
  double elapsed_s = 0;
  uint64_t generated = 0;
  uint64_t produced = 0;
  uint64_t delivered = 0;
  uint64_t failed = 0;
  uint64_t purged = 0;  // part of failed
  uint64_t dropped = 0;
  uint64_t queued = 0;
  uint64_t bytes_delivered = 0;
  double blocked_s = 0;

  static RunSnapshot Take(double elapsed_s, uint64_t generated, const Sink& sink);
  // Messages generated that did not reach their destination.
  uint64_t Lost() const { return generated - delivered; }
};

// "  41,210 msg/s | delivered 1,204,112 | queued 3,120 | dropped 0 | failed 0"
// rate is the delivered rate since the previous snapshot.
// With a configured `target` rate (0: none) the run misses a `shortfall` (0..1) of, the
// line ends in "| 45 % behind 2,200,000 msg/s" once that is 5 % or more.
std::string StatusLine(const RunSnapshot& now, const RunSnapshot& prev, double target = 0,
                       double shortfall = 0);

// Multi-line summary: totals, rates, every cause of loss with its last error text, and what
// network outages did to readings (a line only when they did something).
std::string Summary(const RunSnapshot& s, const Sink& sink, uint64_t devices,
                    const OutageCounts& outages = {});

using text::Grouped;

}  // namespace iiot
