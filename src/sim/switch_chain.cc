#include "sim/switch_chain.h"

#include <algorithm>

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

double UsageProbability(double p_on, double amplitude, double shape) {
  return std::clamp(p_on + amplitude * shape, 0.0, 1.0);
}

}  // namespace iiot
