#include "app/summary.h"

#include <fmt/format.h>

namespace iiot {

RunSnapshot RunSnapshot::Take(double elapsed_s, uint64_t generated, const Sink& sink) {
  const DeliveryCounters& c = sink.counters();
  RunSnapshot s;
  s.elapsed_s = elapsed_s;
  s.generated = generated;
  s.produced = c.produced.load(std::memory_order_relaxed);
  s.delivered = c.delivered.load(std::memory_order_relaxed);
  s.failed = c.FailedTotal();
  s.purged = c.failed[static_cast<size_t>(FailureCause::kPurged)].load(std::memory_order_relaxed);
  s.dropped = c.dropped.load(std::memory_order_relaxed);
  s.queued = sink.QueueDepth();
  s.bytes_delivered = c.bytes_delivered.load(std::memory_order_relaxed);
  s.blocked_s = static_cast<double>(c.blocked_ns.load(std::memory_order_relaxed)) / 1e9;
  return s;
}

std::string StatusLine(const RunSnapshot& now, const RunSnapshot& prev, double target,
                       double shortfall) {
  const double dt = now.elapsed_s - prev.elapsed_s;
  const double rate = dt > 0 ? static_cast<double>(now.delivered - prev.delivered) / dt : 0.0;
  std::string line = fmt::format("{:>9} msg/s | delivered {} | queued {} | dropped {} | failed {}",
                                 Grouped(static_cast<uint64_t>(rate)), Grouped(now.delivered),
                                 Grouped(now.queued), Grouped(now.dropped), Grouped(now.failed));
  if (target > 0 && shortfall >= 0.05) {
    line += fmt::format(" | {:.0f} % behind {} msg/s", shortfall * 100,
                        Grouped(static_cast<uint64_t>(target)));
  }
  return line;
}

std::string Summary(const RunSnapshot& s, const Sink& sink, uint64_t devices,
                    const OutageCounts& outages) {
  const double secs = s.elapsed_s > 0 ? s.elapsed_s : 1e-9;
  std::string out = fmt::format(
      "summary: {} messages from {} devices in {:.2f} s ({} msg/s, {:.1f} MB/s delivered)\n",
      Grouped(s.generated), Grouped(devices), s.elapsed_s,
      Grouped(static_cast<uint64_t>(static_cast<double>(s.delivered) / secs)),
      static_cast<double>(s.bytes_delivered) / secs / 1e6);
  out += fmt::format("  delivered {} | failed {} | dropped {} | blocked {:.2f} s\n",
                     Grouped(s.delivered), Grouped(s.failed), Grouped(s.dropped), s.blocked_s);
  const DeliveryCounters& c = sink.counters();
  for (int i = 0; i < kFailureCauseCount; ++i) {
    const uint64_t n = c.failed[static_cast<size_t>(i)].load(std::memory_order_relaxed);
    if (n == 0) continue;
    const auto cause = static_cast<FailureCause>(i);
    const std::string why = sink.LastError(cause);
    out += fmt::format("  failed ({}): {}{}{}\n", Name(cause), Grouped(n), why.empty() ? "" : " — ",
                       why);
  }
  const uint64_t unaccounted = s.generated - s.delivered - s.failed - s.dropped;
  if (unaccounted > 0) out += fmt::format("  unaccounted: {}\n", Grouped(unaccounted));
  if (outages.held + outages.replayed + outages.unsent > 0) {
    // Readings the simulated network kept back: not messages, so not part of the loss.
    out += fmt::format(
        "  network outages: {} readings sent late | {} held at stop (never sent) | {} not "
        "sent\n",
        Grouped(outages.replayed), Grouped(outages.held), Grouped(outages.unsent));
  }
  if (s.Lost() == 0) {
    out += "  every message delivered\n";
  } else {
    out += fmt::format("  LOST {} of {} messages\n", Grouped(s.Lost()), Grouped(s.generated));
  }
  return out;
}

}  // namespace iiot
