#include "engine/held_readings.h"

namespace iiot {

uint64_t HeldReadings::Hold(uint32_t slot, const HeldReading& reading) {
  std::deque<HeldReading>& held = by_slot_[slot];
  held.push_back(reading);
  ++size_;
  uint64_t dropped = 0;
  for (; held.size() > capacity_; ++dropped) held.pop_front();
  size_ -= dropped;
  return dropped;
}

void HeldReadings::DropOldest(uint32_t slot) {
  const auto it = by_slot_.find(slot);
  if (it == by_slot_.end()) return;
  it->second.pop_front();
  --size_;
  if (it->second.empty()) by_slot_.erase(it);
}

}  // namespace iiot
