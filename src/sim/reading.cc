#include "sim/reading.h"

namespace iiot {

const char* Name(AnomalyKind k) {
  switch (k) {
    case AnomalyKind::kNone:
      return "none";
    case AnomalyKind::kSpike:
      return "spike";
    case AnomalyKind::kStuck:
      return "stuck";
    case AnomalyKind::kDrift:
      return "drift";
    case AnomalyKind::kDropout:
      return "dropout";
    case AnomalyKind::kChatter:
      return "chatter";
  }
  return "?";
}

const char* Reading::Quality() const {
  for (uint8_t i = 0; i < sensor_count; ++i) {
    if (!sensors[i].present) return "partial";
  }
  return "good";
}

}  // namespace iiot
