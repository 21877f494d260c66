#include "verify/seq_tracker.h"

#include <algorithm>
#include <functional>
#include <limits>

namespace iiot {

namespace {

constexpr size_t kInitialSlots = 1024;

uint64_t SaturatingAdd(uint64_t a, uint64_t b) {
  return b > std::numeric_limits<uint64_t>::max() - a ? std::numeric_limits<uint64_t>::max()
                                                      : a + b;
}

// A slot holds the device's index + 1 in its low 32 bits (0: empty) and the top 32 bits
// of the id's hash above, so a probe touches a device only when the hashes agree.
constexpr uint64_t kIndexMask = 0xffff'ffffu;
constexpr uint64_t kTagMask = ~kIndexMask;

size_t HashOf(std::string_view id) { return std::hash<std::string_view>{}(id); }
uint64_t Tag(size_t hash) { return static_cast<uint64_t>(hash) & kTagMask; }

}  // namespace

uint64_t DeviceStats::Problems() const {
  uint64_t n = gaps;
  for (const uint64_t c :
       {duplicates, out_of_order, key_mismatches, missing_tail, beyond_expected}) {
    n = SaturatingAdd(n, c);
  }
  if (partitions.size() > 1) n = SaturatingAdd(n, partitions.size() - 1);
  if (!matches_expected && n == 0) n = 1;
  return n;
}

SeqTracker::SeqTracker() : slots_(kInitialSlots, 0) {}
SeqTracker::~SeqTracker() = default;
SeqTracker::SeqTracker(SeqTracker&&) noexcept = default;
SeqTracker& SeqTracker::operator=(SeqTracker&&) noexcept = default;

void SeqTracker::Add(std::string_view device_id, uint64_t seq, int32_t partition,
                     bool key_matches) {
  Device& d = FindOrAdd(device_id, partition);
  ++messages_;
  ++d.messages;
  const bool fresh = d.seqs.Insert(seq);
  uint64_t* last = &d.last_seq;
  if (partition != d.partition) {
    if (!d.extra) d.extra = std::make_unique<Extra>();
    auto& others = d.extra->other_partitions;
    auto it = std::find_if(others.begin(), others.end(),
                           [partition](const auto& p) { return p.first == partition; });
    if (it == others.end()) it = others.insert(others.end(), {partition, 0});
    last = &it->second;
  }
  if (!fresh || seq < *last || !key_matches) {
    if (!d.extra) d.extra = std::make_unique<Extra>();
    if (!fresh) {
      ++d.extra->duplicates;
    } else if (seq < *last) {
      ++d.extra->out_of_order;
    }
    if (!key_matches) ++d.extra->key_mismatches;
  }
  *last = seq;
}

SeqTracker::Device& SeqTracker::FindOrAdd(std::string_view device_id, int32_t partition) {
  const size_t hash = HashOf(device_id);
  const uint64_t tag = Tag(hash);
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const uint64_t slot = slots_[i];
    if (slot == 0) {
      Device d;
      d.id_offset = ids_.size();
      d.id_size = static_cast<uint32_t>(device_id.size());
      d.partition = partition;
      ids_.append(device_id);
      devices_.push_back(std::move(d));
      slots_[i] = tag | devices_.size();
      if (devices_.size() * 2 > slots_.size()) Grow();
      return devices_.back();
    }
    if ((slot & kTagMask) == tag) {
      Device& d = devices_[(slot & kIndexMask) - 1];
      if (IdOf(d) == device_id) return d;
    }
  }
}

const SeqTracker::Device* SeqTracker::Lookup(std::string_view device_id) const {
  const size_t hash = HashOf(device_id);
  const uint64_t tag = Tag(hash);
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const uint64_t slot = slots_[i];
    if (slot == 0) return nullptr;
    if ((slot & kTagMask) == tag) {
      const Device& d = devices_[(slot & kIndexMask) - 1];
      if (IdOf(d) == device_id) return &d;
    }
  }
}

void SeqTracker::Grow() {
  std::vector<uint64_t> slots(slots_.size() * 2, 0);
  const size_t mask = slots.size() - 1;
  for (size_t k = 0; k < devices_.size(); ++k) {
    const size_t hash = HashOf(IdOf(devices_[k]));
    size_t i = hash & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = Tag(hash) | (k + 1);
  }
  slots_ = std::move(slots);
}

uint64_t SeqTracker::MemoryBytes() const {
  static_assert(sizeof(Device) == 64, "seq_tracker.h and docs/verify.md say 64 bytes");
  uint64_t bytes =
      devices_.capacity() * sizeof(Device) + ids_.capacity() + slots_.capacity() * sizeof(uint64_t);
  for (const Device& d : devices_) {
    bytes += d.seqs.HeapBytes();
    if (d.extra) {
      bytes += sizeof(Extra) +
               d.extra->other_partitions.capacity() * sizeof(d.extra->other_partitions[0]);
    }
  }
  return bytes;
}

DeviceStats SeqTracker::Stats(const Device& d, std::optional<uint64_t> expect,
                              size_t ranges) const {
  DeviceStats s;
  s.messages = d.messages;
  s.unique = d.seqs.Unique();
  s.max_seq = d.seqs.Max();
  s.gaps = s.max_seq - s.unique;
  if (ranges > 0 && s.gaps > 0) s.missing = d.seqs.MissingRanges(ranges);
  s.partitions.push_back(d.partition);
  if (d.extra) {
    s.duplicates = d.extra->duplicates;
    s.out_of_order = d.extra->out_of_order;
    s.key_mismatches = d.extra->key_mismatches;
    for (const auto& [p, last] : d.extra->other_partitions) s.partitions.push_back(p);
    std::sort(s.partitions.begin(), s.partitions.end());
  }
  if (expect) {
    const uint64_t m = *expect;
    s.missing_tail = s.max_seq < m ? m - s.max_seq : 0;
    s.beyond_expected = d.seqs.UniqueAbove(m);
    s.matches_expected = s.gaps == 0 && s.duplicates == 0 && s.max_seq == m;
  }
  return s;
}

TrackerSummary SeqTracker::Summarize(std::optional<uint64_t> expect_per_device, size_t limit,
                                     size_t ranges) const {
  TrackerSummary out;
  TrackerTotals& t = out.totals;
  t.messages = messages_;
  t.devices = devices_.size();
  t.memory_bytes = MemoryBytes();
  std::vector<std::pair<uint64_t, uint32_t>> problems;  // score, device index
  for (size_t k = 0; k < devices_.size(); ++k) {
    const DeviceStats s = Stats(devices_[k], expect_per_device, 0);
    t.gaps = SaturatingAdd(t.gaps, s.gaps);
    t.duplicates += s.duplicates;
    t.out_of_order += s.out_of_order;
    t.key_mismatches += s.key_mismatches;
    if (s.partitions.size() > 1) ++t.multi_partition_devices;
    if (!s.matches_expected) ++t.devices_not_matching;
    if (const uint64_t score = s.Problems(); score > 0) {
      ++t.devices_with_problems;
      problems.emplace_back(score, static_cast<uint32_t>(k));
    }
  }
  const auto worse = [this](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return IdOf(devices_[a.second]) < IdOf(devices_[b.second]);
  };
  const size_t n = std::min(limit, problems.size());
  std::partial_sort(problems.begin(), problems.begin() + static_cast<std::ptrdiff_t>(n),
                    problems.end(), worse);
  for (size_t i = 0; i < n; ++i) {
    const Device& d = devices_[problems[i].second];
    DeviceStats s = Stats(d, expect_per_device, ranges);
    s.device_id = IdOf(d);
    out.worst.push_back(std::move(s));
  }
  return out;
}

std::optional<DeviceStats> SeqTracker::Find(std::string_view device_id,
                                            std::optional<uint64_t> expect_per_device,
                                            size_t ranges) const {
  const Device* d = Lookup(device_id);
  if (d == nullptr) return std::nullopt;
  DeviceStats s = Stats(*d, expect_per_device, ranges);
  s.device_id = device_id;
  return s;
}

}  // namespace iiot
