#include "engine/held_readings.h"

namespace iiot {

uint64_t HeldReadings::Hold(uint32_t slot, UnixMillis t) {
  std::deque<UnixMillis>& held = by_slot_[slot];
  held.push_back(t);
  ++size_;
  uint64_t dropped = 0;
  for (; held.size() > capacity_; ++dropped) held.pop_front();
  size_ -= dropped;
  return dropped;
}

const std::deque<UnixMillis>& HeldReadings::Of(uint32_t slot) const {
  static const std::deque<UnixMillis> kNone;
  const auto it = by_slot_.find(slot);
  return it == by_slot_.end() ? kNone : it->second;
}

uint64_t HeldReadings::Release(uint32_t slot) {
  const auto it = by_slot_.find(slot);
  if (it == by_slot_.end()) return 0;
  const uint64_t n = it->second.size();
  size_ -= n;
  by_slot_.erase(it);
  return n;
}

}  // namespace iiot
