// HeldReadings: the readings a worker's devices could not send during a network outage,
// kept as the times they are due at (a device's model samples them when they are sent,
// in order, so nothing else needs keeping: sim/plant.h's values are pure functions of
// time). Each device holds at most `capacity` readings; a full one lets its oldest go.
// Not thread-safe: owned by one worker.
//
// Example:
//   HeldReadings held(1000);
//   held.Hold(slot, t);                    // the device is offline at t
//   for (UnixMillis t0 : held.Of(slot)) …  // back online: send them, oldest first
//   held.Release(slot);
#pragma once

#include <cstdint>
#include <deque>
#include <unordered_map>

#include "base/iso_time.h"

namespace iiot {

class HeldReadings {
 public:
  explicit HeldReadings(uint32_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Holds the reading of the device in `slot` due at t. Returns how many of the device's
  // oldest held readings that pushed out (they will never be sent): 0 while it has room.
  uint64_t Hold(uint32_t slot, UnixMillis t);
  bool Holds(uint32_t slot) const { return !by_slot_.empty() && by_slot_.count(slot) != 0; }
  // The device's held readings, oldest first (empty when none).
  const std::deque<UnixMillis>& Of(uint32_t slot) const;
  // Forgets the device's held readings (after sending them); returns how many there were.
  uint64_t Release(uint32_t slot);
  // Readings held now, over every device.
  uint64_t size() const { return size_; }
  // A new capacity for readings held from now on.
  void set_capacity(uint32_t capacity) { capacity_ = capacity == 0 ? 1 : capacity; }

 private:
  uint32_t capacity_;
  uint64_t size_ = 0;
  std::unordered_map<uint32_t, std::deque<UnixMillis>> by_slot_;
};

}  // namespace iiot
