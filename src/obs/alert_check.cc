#include "obs/alert_check.h"

#include <fmt/format.h>

#include "base/text.h"

namespace iiot {

std::vector<AlertEvent> AlertCheck::Check(const AlertsConfig& t,
                                          const std::optional<WindowDelta>& recent, uint64_t queued,
                                          uint64_t queue_max) {
  std::vector<AlertEvent> events;
  // One alert: fire on crossing up, resolve on crossing down; `value` unset = no verdict.
  auto judge = [&](size_t i, const char* name, std::optional<bool> over, std::string fire_line,
                   std::string resolve_line) {
    if (!over || *over == firing_[i]) return;
    firing_[i] = *over;
    events.push_back({name, *over, *over ? std::move(fire_line) : std::move(resolve_line)});
  };
  const double window_s = std::chrono::duration<double>(t.window).count();

  std::optional<bool> error_over;
  double ratio = 0;
  if (recent && recent->Outcomes() > 0) {
    ratio = recent->ErrorRatio();
    error_over = ratio > t.error_rate;
  }
  judge(0, "error_rate", error_over,
        fmt::format("ALERT error_rate: {:.2f}% of {} messages failed or were dropped in the last "
                    "{:.0f} s (alerts.error_rate {:.2f}%)",
                    ratio * 100, recent ? recent->Outcomes() : 0, window_s, t.error_rate * 100),
        fmt::format("resolved error_rate: {:.2f}% failed or dropped in the last {:.0f} s",
                    ratio * 100, window_s));

  std::optional<bool> latency_over;
  double p95 = 0;
  if (recent) {
    if (const std::optional<double> q = recent->Latency(0.95)) {
      p95 = *q;
      latency_over = p95 > std::chrono::duration<double>(t.latency_p95).count();
    }
  }
  const std::string p95_text =
      text::Seconds(std::chrono::duration<double>(p95), text::SecondsStyle::kMeasured);
  judge(1, "latency", latency_over,
        fmt::format(
            "ALERT latency: p95 delivery latency {} in the last {:.0f} s (alerts.latency_p95 {})",
            p95_text, window_s, text::Seconds(t.latency_p95, text::SecondsStyle::kMeasured)),
        fmt::format("resolved latency: p95 delivery latency {} in the last {:.0f} s", p95_text,
                    window_s));

  std::optional<bool> queue_over;
  double fill = 0;
  if (queue_max > 0) {
    fill = static_cast<double>(queued) / static_cast<double>(queue_max);
    queue_over = fill > t.queue_fill;
  }
  judge(2, "queue_depth", queue_over,
        fmt::format("ALERT queue_depth: {} of {} queued messages ({:.0f}%, alerts.queue_fill "
                    "{:.0f}%): the sink is not keeping up",
                    queued, queue_max, fill * 100, t.queue_fill * 100),
        fmt::format("resolved queue_depth: {} of {} queued messages ({:.0f}%)", queued, queue_max,
                    fill * 100));
  return events;
}

}  // namespace iiot
