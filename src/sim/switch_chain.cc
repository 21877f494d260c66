#include "sim/switch_chain.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace iiot {

SwitchTransitions SwitchTransitionsFor(double p_on, double stickiness) {
  const double p = std::clamp(p_on, 0.0, 1.0);
  const double keep = std::clamp(stickiness, 0.0, 1.0);
  if (p <= 0.0) return {1.0, 0.0};  // always off
  if (p >= 1.0) return {0.0, 1.0};  // always on
  // Stationary probability flow each way, per sample.
  const double flow = std::min((1.0 - keep) / 2.0, std::min(p, 1.0 - p));
  return {flow / p, flow / (1.0 - p)};
}

double SwitchLogMemory(double p_on, double stickiness) {
  const SwitchTransitions ref = SwitchTransitionsFor(p_on, stickiness);
  const double memory = 1.0 - ref.on_to_off - ref.off_to_on;
  return memory > 0 ? std::log(memory) : -std::numeric_limits<double>::infinity();
}

SwitchTransitions SwitchTransitionsOver(double p_on, double log_memory, double elapsed_s) {
  const double p = std::clamp(p_on, 0.0, 1.0);
  // exp(-inf · 0) is NaN: no time, no change.
  const double kept =
      elapsed_s <= 0 ? 1.0 : std::exp(log_memory * elapsed_s / kSwitchReferenceSeconds);
  return {(1.0 - p) * (1.0 - kept), p * (1.0 - kept)};
}

double UsageProbability(double p_on, double amplitude, double shape) {
  return std::clamp(p_on + amplitude * shape, 0.0, 1.0);
}

}  // namespace iiot
