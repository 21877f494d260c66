#include "obs/rate_target.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/text.h"

namespace iiot {

std::optional<double> TargetRate(const Config& cfg, const Fleet& fleet, uint64_t devices) {
  const double per_device = fleet.ReportsPerDeviceSecond(cfg.run.interval);

  switch (cfg.run.mode) {
    case Mode::kRate:
      return cfg.run.rate;
    case Mode::kRealtime:
      return per_device * static_cast<double>(devices);
    case Mode::kBackfill:
      if (cfg.run.speed > 0) return cfg.run.speed * per_device * static_cast<double>(devices);
      return std::nullopt;
    case Mode::kMax:
      return std::nullopt;
  }
  return std::nullopt;
}

std::string TargetSource(const Config& cfg) {
  switch (cfg.run.mode) {
    case Mode::kRate:
      return "run.rate, --rate";
    case Mode::kBackfill:
      return "run.speed x fleet.devices / run.interval and the profiles' intervals";
    default:
      return "fleet.devices / run.interval and the profiles' intervals";
  }
}

std::string UnreachableRateWarning(const Config& cfg, double target, size_t threads) {
  const double reachable = kReachablePerThread * static_cast<double>(threads);
  if (target <= reachable) return "";
  return fmt::format(
      "the configuration asks for {} msg/s ({}), more than {} worker thread(s) can reach (at "
      "most about {} msg/s each, whatever the sink): the run will fall behind its schedule; "
      "the status line and /api/v1/stats (rates.shortfall) show by how much",
      text::Grouped(static_cast<uint64_t>(target)), TargetSource(cfg), threads,
      text::Grouped(static_cast<uint64_t>(kReachablePerThread)));
}

double Shortfall(double target, double reached) {
  if (target <= 0) return 0;
  return std::clamp((target - reached) / target, 0.0, 1.0);
}

}  // namespace iiot
