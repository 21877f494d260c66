#include "sim/model_params.h"

#include <atomic>

namespace iiot {

ModelParams::ModelParams(const SensorsConfig& sensors, const AnomalyConfig& anomalies_in,
                         const IncidentsConfig& incidents_in)
    : anomalies(anomalies_in),
      incidents(incidents_in),
      sensors_(sensors),
      models_(BuildTypeModels(sensors)) {
  static std::atomic<uint64_t> next_id{1};
  id_ = next_id.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace iiot
