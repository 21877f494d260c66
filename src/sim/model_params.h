// ModelParams: the settings every device model reads at each sample (sensors, anomalies,
// incidents) with what is derived from them once (the per-type models). A value: cheap to
// copy, not synchronised; a worker keeps one and may replace it between samples.
#pragma once

#include <array>
#include <cstdint>

#include "config/config.h"
#include "sim/type_model.h"

namespace iiot {

class ModelParams {
 public:
  ModelParams() : ModelParams(SensorsConfig{}, AnomalyConfig{}) {}
  ModelParams(const SensorsConfig& sensors, const AnomalyConfig& anomalies,
              const IncidentsConfig& incidents = {});

  const SensorsConfig& sensors() const { return sensors_; }
  // Tells settings apart (copies share it): caches derived from them key on it (Plant).
  uint64_t id() const { return id_; }
  const TypeModel& model(SensorType numeric) const { return models_[NumericSlot(numeric)]; }

  AnomalyConfig anomalies;    // read as they are: nothing is derived from them
  IncidentsConfig incidents;  // likewise

 private:
  uint64_t id_;
  SensorsConfig sensors_;
  std::array<TypeModel, kNumericTypeCount> models_;
};

}  // namespace iiot
