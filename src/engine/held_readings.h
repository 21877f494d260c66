// HeldReadings: the readings a worker's devices could not send during a network outage,
// kept as the times they were due at and the outage's label (a device's model samples them
// when they are sent, in order, so nothing else needs keeping: sim/plant.h's values are
// pure functions of time). Each device holds at most `capacity` readings; a full one lets
// its oldest go. Not thread-safe: owned by one worker.
//
// Example:
//   HeldReadings held(1000);
//   held.Hold(slot, {t, label});                // the device is offline at t
//   while (held.Holds(slot)) { send(held.Oldest(slot)); held.DropOldest(slot); }
#pragma once

#include <cstdint>
#include <deque>
#include <unordered_map>

#include "base/iso_time.h"
#include "sim/incidents.h"

namespace iiot {

// One reading held back: when it was due, and the outage that kept it (its message's label).
struct HeldReading {
  UnixMillis t = 0;
  IncidentLabel outage;
};

class HeldReadings {
 public:
  explicit HeldReadings(uint32_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Holds a reading of the device in `slot`. Returns how many of the device's oldest held
  // readings that pushed out (they will never be sent): 0 while it has room.
  uint64_t Hold(uint32_t slot, const HeldReading& reading);
  bool Holds(uint32_t slot) const { return !by_slot_.empty() && by_slot_.count(slot) != 0; }
  // The device's oldest held reading; only while Holds(slot).
  const HeldReading& Oldest(uint32_t slot) const { return by_slot_.at(slot).front(); }
  // Forgets the device's oldest held reading (it was sent).
  void DropOldest(uint32_t slot);
  // Readings held now, over every device.
  uint64_t size() const { return size_; }
  // A new capacity for readings held from now on.
  void set_capacity(uint32_t capacity) { capacity_ = capacity == 0 ? 1 : capacity; }

 private:
  uint32_t capacity_;
  uint64_t size_ = 0;
  std::unordered_map<uint32_t, std::deque<HeldReading>> by_slot_;
};

}  // namespace iiot
