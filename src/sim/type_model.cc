#include "sim/type_model.h"

#include <algorithm>
#include <cmath>

#include "sim/slow_change.h"

namespace iiot {

namespace {

// Share of the normal range kept free next to the anomaly band and the far bound.
constexpr double kBandMargin = 0.02;
// A spike lands this many times a device's short-term σ away from its level.
constexpr double kSpikeGapSigmas = 6.0;
// Shared processes with knots up to this move within a device's recent readings.
constexpr int64_t kSpikeWindowKnot = 2 * kMillisPerHour;
// The rest of the variance never falls below this share of σ² (cycles set larger than σ).
constexpr double kMinRestShare = 0.1;
// Humidity falls this many of its σ per σ of the room's temperature swing.
constexpr double kHumidityPerTemperature = 0.75;

double Rest(double sigma2, double cycles) {
  return std::max(sigma2 - cycles, kMinRestShare * sigma2);
}

void Temperature(TypeModel& m, double sigma, double a) {
  const double s2 = sigma * sigma;
  m.cycle = a;         // day/night
  m.season = 0.5 * a;  // indoor summer/winter
  const double r = Rest(s2, a * a / 2 + m.season * m.season / 2);
  m.room = std::sqrt(0.10 * r);           // the room's set-point
  m.room_slow = std::sqrt(0.43 * r);      // the room's use: set-points, doors, machines
  m.building_slow = std::sqrt(0.10 * r);  // the building's HVAC schedule
  m.shared = std::sqrt(0.20 * r);         // the room's climate around its set-point
  m.shared_knot = 2 * kMillisPerHour;
  m.device = std::sqrt(0.12 * r);  // calibration and placement
  m.own = std::sqrt(0.05 * r);     // drafts, sun, machines nearby
  m.own_tau_s = 1800;
  m.noise = 0.004 * sigma;
}

void Humidity(TypeModel& m, double sigma, double a, const TypeModel& temperature, double t_sigma) {
  const double s2 = sigma * sigma;
  m.cycle = a;  // seasonal
  m.coupling = t_sigma > 0 ? -kHumidityPerTemperature * sigma / t_sigma : 0;
  const double swing2 =
      temperature.cycle * temperature.cycle / 2 + temperature.shared * temperature.shared;
  const double r = Rest(s2, a * a / 2 + m.coupling * m.coupling * swing2);
  m.shared = std::sqrt(0.30 * r);  // the outdoor air (site weather)
  m.shared_knot = 12 * kMillisPerHour;
  m.shared_by_site = true;
  m.room = std::sqrt(0.10 * r);       // the room's use: wet processes, ventilation
  m.room_slow = std::sqrt(0.35 * r);  // and how it changes over days
  m.device = std::sqrt(0.10 * r);
  m.own = std::sqrt(0.15 * r);
  m.own_tau_s = 3600;
  m.noise = 0.005 * sigma;
}

void Pressure(TypeModel& m, double sigma, double a) {
  const double s2 = sigma * sigma;
  m.cycle = a;  // weather fronts (mean of three cosines: variance a²/6)
  m.device = 0.02 * sigma;
  m.own = 0.005 * sigma;
  m.own_tau_s = 600;
  m.per_floor = -0.0225 * sigma;  // about 4 m a floor
  m.shared = std::sqrt(Rest(s2, a * a / 6 + m.device * m.device + m.own * m.own));
  m.shared_knot = 12 * kMillisPerHour;
  m.shared_by_site = true;
  m.noise = 0.002 * sigma;
}

void Current(TypeModel& m, double sigma, double a) {
  const double s2 = sigma * sigma;
  m.cycle = a;  // weekly load
  const double r = Rest(s2, a * a / 2);
  m.device = std::sqrt(0.25 * r);     // the machine's rated load
  m.room_slow = std::sqrt(0.30 * r);  // the line's production plan over days
  m.shared = std::sqrt(0.35 * r);     // the line's load in the room, hour by hour
  m.shared_knot = kMillisPerHour / 2;
  m.own = std::sqrt(0.10 * r);
  m.own_tau_s = 300;
  m.noise = 0.01 * sigma;
}

// Variance of the raw value the parts above add up to.
double RawVariance(const TypeModel& m, SensorType type) {
  const double cycle_var =
      type == SensorType::kPressure ? m.cycle * m.cycle / 6 : m.cycle * m.cycle / 2;
  return cycle_var + m.season * m.season / 2 + m.room * m.room + m.room_slow * m.room_slow +
         m.building_slow * m.building_slow + m.device * m.device + m.shared * m.shared +
         m.own * m.own;
}

void Finish(TypeModel& m, SensorType type, const SensorParams& p, double sigma, double extra_var) {
  m.mean = p.mean;
  m.min = p.min;
  m.max = p.max;
  m.threshold = p.anomaly_threshold;
  m.band_below = p.anomaly_threshold < p.mean;
  m.sigma = sigma;
  const double margin = kBandMargin * (p.max - p.min);
  double lo = m.band_below ? p.anomaly_threshold + margin : p.min + margin;
  double hi = m.band_below ? p.max - margin : p.anomaly_threshold - margin;
  if (!(lo < hi)) {  // a threshold outside the range: keep within the bounds only
    lo = p.min;
    hi = p.max;
  }
  if (!(lo < hi)) hi = lo + 1e-9;
  const double raw_sigma = std::sqrt(RawVariance(m, type) + extra_var);
  if (raw_sigma > 0) {
    m.fit = FitSoftRange(p.mean, raw_sigma, lo, hi);
    m.stretch = m.fit.input_stddev / raw_sigma;
  } else {
    m.fit.range = {lo, hi, 1e-9};
    m.fit.input_mean = std::clamp(p.mean, lo, hi);
    m.stretch = 1;
  }
  // Over a window of minutes to hours a device moves by its own process and a shared one
  // of hours (room climate, line load; not the weather of days); a spike clears them by
  // kSpikeGapSigmas.
  const double hours = m.shared_knot <= kSpikeWindowKnot ? m.shared : 0.0;
  m.spike_gap =
      kSpikeGapSigmas * m.stretch * std::sqrt(m.own * m.own + hours * hours + m.noise * m.noise);
}

}  // namespace

std::array<TypeModel, kNumericTypeCount> BuildTypeModels(const SensorsConfig& sensors) {
  std::array<TypeModel, kNumericTypeCount> models{};
  const auto sigma = [&](SensorType type) {
    return std::max(0.0, sensors.params[static_cast<size_t>(type)].stddev * sensors.data_variation);
  };
  const auto amplitude = [&](SensorType type) { return SlowAmplitude(sensors, type); };
  const auto params = [&](SensorType type) -> const SensorParams& {
    return sensors.params[static_cast<size_t>(type)];
  };

  TypeModel& t = models[NumericSlot(SensorType::kTemperature)];
  Temperature(t, sigma(SensorType::kTemperature), amplitude(SensorType::kTemperature));
  Finish(t, SensorType::kTemperature, params(SensorType::kTemperature),
         sigma(SensorType::kTemperature), 0);

  TypeModel& h = models[NumericSlot(SensorType::kHumidity)];
  Humidity(h, sigma(SensorType::kHumidity), amplitude(SensorType::kHumidity), t,
           sigma(SensorType::kTemperature));
  const double swing2 = t.cycle * t.cycle / 2 + t.shared * t.shared;
  Finish(h, SensorType::kHumidity, params(SensorType::kHumidity), sigma(SensorType::kHumidity),
         h.coupling * h.coupling * swing2);

  TypeModel& p = models[NumericSlot(SensorType::kPressure)];
  Pressure(p, sigma(SensorType::kPressure), amplitude(SensorType::kPressure));
  Finish(p, SensorType::kPressure, params(SensorType::kPressure), sigma(SensorType::kPressure), 0);

  TypeModel& c = models[NumericSlot(SensorType::kCurrent)];
  Current(c, sigma(SensorType::kCurrent), amplitude(SensorType::kCurrent));
  Finish(c, SensorType::kCurrent, params(SensorType::kCurrent), sigma(SensorType::kCurrent), 0);
  return models;
}

}  // namespace iiot
