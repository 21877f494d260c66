#include "obs/run_window.h"

#include <cmath>
#include <utility>

namespace iiot {

double WindowDelta::PerSecond(uint64_t n) const {
  return seconds > 0 ? static_cast<double>(n) / seconds : 0.0;
}

double WindowDelta::ErrorRatio() const {
  const uint64_t outcomes = Outcomes();
  return outcomes == 0 ? 0.0
                       : static_cast<double>(failed + dropped) / static_cast<double>(outcomes);
}

std::optional<double> WindowDelta::Latency(double q) const {
  if (delivered == 0) return std::nullopt;
  const double v = Quantile(latency_now, latency_before, q);
  if (std::isnan(v)) return std::nullopt;
  return v;
}

RunWindow::RunWindow(std::chrono::seconds keep) : keep_(keep) {}

void RunWindow::Add(RunSample sample) {
  MutexLock lock(&mu_);
  samples_.push_back(std::move(sample));
  // Keep one sample older than `keep` so a full span can always be measured.
  while (samples_.size() > 2 && samples_.back().at - samples_[1].at >= keep_) samples_.pop_front();
}

std::optional<WindowDelta> RunWindow::Over(std::chrono::milliseconds span) const {
  MutexLock lock(&mu_);
  if (samples_.size() < 2) return std::nullopt;
  const RunSample& now = samples_.back();
  // The newest sample at least `span` old, else the oldest.
  size_t i = samples_.size() - 1;
  while (i > 0 && now.at - samples_[i].at < span) --i;
  const RunSample& before = samples_[i];
  auto minus = [](uint64_t a, uint64_t b) { return a >= b ? a - b : 0; };
  WindowDelta d;
  d.seconds = std::chrono::duration<double>(now.at - before.at).count();
  d.generated = minus(now.generated, before.generated);
  d.due = minus(now.due, before.due);
  d.delivered = minus(now.delivered, before.delivered);
  d.failed = minus(now.failed, before.failed);
  d.dropped = minus(now.dropped, before.dropped);
  d.bytes_delivered = minus(now.bytes_delivered, before.bytes_delivered);
  d.latency_before = before.latency;
  d.latency_now = now.latency;
  return d;
}

}  // namespace iiot
