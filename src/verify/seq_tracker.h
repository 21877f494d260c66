// SeqTracker: the per-device bookkeeping of `iiot-producer verify`. Fed one decoded
// message at a time (device id, seq, partition, whether the Kafka key matched), it counts
// per device: messages, gaps in seq, duplicates, out-of-order arrivals, the partitions the
// device was seen on and key mismatches; then summarises every device and picks the worst.
// The definitions are those of docs/verify.md.
//
// Memory: nothing per message. Per device, a 64-byte record, its id (stored once, back to
// back with the others, in one buffer) and 2 to 4 slots of 8 bytes in an open-addressing
// table (index + hash tag per slot); a clean device allocates nothing else. Counters it
// never needs (duplicates, reordering, other partitions) are allocated on its first
// problem, and each hole in its seqs costs 16 bytes (SeqSet). MemoryBytes() adds it up.
//
// Thread-safety: not thread-safe; one thread feeds it, then summarises.
//
// Example:
//   SeqTracker t;
//   t.Add("d1", 1, /*partition=*/0, /*key_matches=*/true);
//   t.Add("d1", 3, 0, true);                       // a gap: seq 2
//   TrackerSummary s = t.Summarize(std::nullopt, 10, 5);
//   s.totals.gaps == 1; s.worst[0].missing == {{2, 2}}
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "verify/seq_set.h"

namespace iiot {

// One device as the report shows it.
struct DeviceStats {
  std::string device_id;
  uint64_t messages = 0;
  uint64_t unique = 0;  // distinct seqs
  uint64_t max_seq = 0;
  uint64_t gaps = 0;                // seq values in 1..max_seq never seen
  std::vector<SeqRange> missing;    // the first few of those, as ranges
  uint64_t duplicates = 0;          // messages whose seq was already seen
  uint64_t out_of_order = 0;        // new seqs lower than the previous seq on their partition
  uint64_t key_mismatches = 0;      // Kafka key != device_id
  std::vector<int32_t> partitions;  // ascending
  // Against an expected per-device count M (zero without one):
  uint64_t missing_tail = 0;     // seqs max_seq+1..M never seen
  uint64_t beyond_expected = 0;  // distinct seqs above M
  bool matches_expected = true;  // seqs exactly 1..M, each once

  // A ranking score: the sum of the counts above (saturating), plus one per extra
  // partition. 0 means a clean device.
  uint64_t Problems() const;
};

struct TrackerTotals {
  uint64_t messages = 0;
  uint64_t devices = 0;
  uint64_t memory_bytes = 0;  // SeqTracker::MemoryBytes()
  uint64_t gaps = 0;          // saturating sum
  uint64_t duplicates = 0;
  uint64_t out_of_order = 0;
  uint64_t multi_partition_devices = 0;
  uint64_t key_mismatches = 0;
  uint64_t devices_with_problems = 0;
  uint64_t devices_not_matching = 0;  // with an expected per-device count
};

struct TrackerSummary {
  TrackerTotals totals;
  std::vector<DeviceStats> worst;  // most problems first, then by device id
};

class SeqTracker {
 public:
  SeqTracker();
  ~SeqTracker();
  SeqTracker(const SeqTracker&) = delete;
  SeqTracker& operator=(const SeqTracker&) = delete;
  SeqTracker(SeqTracker&&) noexcept;
  SeqTracker& operator=(SeqTracker&&) noexcept;

  // Counts one parsed message, in the partition's offset order. seq >= 1.
  void Add(std::string_view device_id, uint64_t seq, int32_t partition, bool key_matches);

  size_t devices() const { return devices_.size(); }
  uint64_t messages() const { return messages_; }
  // The bytes held, computed from the containers' capacities: the device records, ids,
  // table slots, and every device's extra counters and holes (allocator overhead not
  // included). O(devices).
  uint64_t MemoryBytes() const;

  // Totals over every device, and up to `limit` devices with problems (each listing at
  // most `ranges` missing ranges). expect_per_device: the M of --expect-per-device.
  TrackerSummary Summarize(std::optional<uint64_t> expect_per_device, size_t limit,
                           size_t ranges) const;
  // One device, or nullopt if it was never seen.
  std::optional<DeviceStats> Find(std::string_view device_id,
                                  std::optional<uint64_t> expect_per_device, size_t ranges) const;

 private:
  // What only a device with a problem needs.
  struct Extra {
    uint64_t duplicates = 0;
    uint64_t out_of_order = 0;
    uint64_t key_mismatches = 0;
    std::vector<std::pair<int32_t, uint64_t>> other_partitions;  // partition, last seq
  };
  struct Device {
    uint64_t id_offset = 0;  // into ids_
    uint32_t id_size = 0;
    int32_t partition = 0;  // the first partition the device was seen on
    uint64_t messages = 0;
    uint64_t last_seq = 0;  // the previous seq on `partition`
    SeqSet seqs;
    std::unique_ptr<Extra> extra;
  };

  std::string_view IdOf(const Device& d) const { return {ids_.data() + d.id_offset, d.id_size}; }
  Device& FindOrAdd(std::string_view device_id, int32_t partition);
  const Device* Lookup(std::string_view device_id) const;
  void Grow();
  DeviceStats Stats(const Device& d, std::optional<uint64_t> expect, size_t ranges) const;

  uint64_t messages_ = 0;
  std::vector<Device> devices_;
  std::string ids_;              // every device id, back to back
  std::vector<uint64_t> slots_;  // hash tag | device index + 1, 0 = empty; a power of two
};

}  // namespace iiot
