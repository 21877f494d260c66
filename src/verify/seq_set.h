// SeqSet: the set of `seq` values seen for one device, kept as sorted, disjoint,
// non-adjacent ranges [lo, hi]. A device whose messages arrive in order is one range and
// costs no heap memory; memory grows with the number of holes (16 bytes per range), never
// with the number of messages or the size of the seq values. Appending the next seq is
// O(1); a seq that lands before the last range is a binary search plus a vector insert.
//
// Thread-safety: not thread-safe; a plain value owned by one SeqTracker.
//
// Example:
//   SeqSet s;
//   s.Insert(1); s.Insert(2); s.Insert(5);   // true, true, true
//   s.Insert(2);                             // false: already seen
//   s.Max() == 5; s.Unique() == 3; s.Missing() == 2;   // 3 and 4
//   s.MissingRanges(4) == {{3, 4}}
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

namespace iiot {

// A closed range of seq values, lo <= hi.
struct SeqRange {
  uint64_t lo = 0;
  uint64_t hi = 0;

  bool operator==(const SeqRange&) const = default;
};

class SeqSet {
 public:
  SeqSet() = default;
  SeqSet(SeqSet&&) noexcept = default;
  SeqSet& operator=(SeqSet&&) noexcept = default;

  // Adds seq (>= 1). Returns false if it was already in the set.
  bool Insert(uint64_t seq);
  bool Contains(uint64_t seq) const;

  bool Empty() const { return !many_ && single_.hi == 0; }
  // The largest seq seen; 0 when empty.
  uint64_t Max() const;
  // How many distinct seqs were seen.
  uint64_t Unique() const;
  // Seq values in 1..Max() that were not seen (a gap count; can be as large as Max()).
  uint64_t Missing() const { return Max() - Unique(); }
  // Unique seqs greater than `bound`.
  uint64_t UniqueAbove(uint64_t bound) const;
  // The first `limit` missing ranges within 1..Max(), in order.
  std::vector<SeqRange> MissingRanges(size_t limit) const;
  // Number of stored ranges (1 for a contiguous device, 0 when empty).
  size_t RangeCount() const;
  // Heap bytes held beyond sizeof(SeqSet): 0 while the set is one range, else the
  // vector and its capacity (allocator overhead not included).
  size_t HeapBytes() const;

 private:
  // Used while the set is one range (single_.hi == 0 means empty); once a second range is
  // needed every range moves to *many_ and single_ is unused.
  SeqRange single_;
  std::unique_ptr<std::vector<SeqRange>> many_;
};

}  // namespace iiot
