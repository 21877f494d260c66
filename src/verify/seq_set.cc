#include "verify/seq_set.h"

#include <algorithm>
#include <iterator>

namespace iiot {

namespace {

uint64_t Size(const SeqRange& r) { return r.hi - r.lo + 1; }

}  // namespace

bool SeqSet::Insert(uint64_t seq) {
  if (seq == 0) return false;  // not a seq: they count from 1
  if (!many_) {
    if (single_.hi == 0) {
      single_ = {seq, seq};
      return true;
    }
    if (seq - 1 == single_.hi) {  // the common case: the next one
      single_.hi = seq;
      return true;
    }
    if (seq >= single_.lo && seq <= single_.hi) return false;
    if (single_.lo - 1 == seq) {
      single_.lo = seq;
      return true;
    }
    many_ = std::make_unique<std::vector<SeqRange>>();
    many_->push_back(single_);
    single_ = {};
  }
  std::vector<SeqRange>& v = *many_;
  if (seq > v.back().hi) {
    if (seq - 1 == v.back().hi) {
      v.back().hi = seq;
    } else {
      v.push_back({seq, seq});
    }
    return true;
  }
  // The first range starting after seq; seq belongs to, extends or precedes it.
  auto next = std::upper_bound(v.begin(), v.end(), seq,
                               [](uint64_t s, const SeqRange& r) { return s < r.lo; });
  bool merged = false;
  if (next != v.begin()) {
    const auto prev = std::prev(next);
    if (seq <= prev->hi) return false;
    if (seq - 1 == prev->hi) {
      prev->hi = seq;
      if (next != v.end() && next->lo - 1 == seq) {
        prev->hi = next->hi;
        v.erase(next);
      }
      merged = true;
    }
  }
  if (!merged) {
    if (next != v.end() && next->lo - 1 == seq) {
      next->lo = seq;
    } else {
      v.insert(next, {seq, seq});
    }
  }
  if (v.size() == 1) {  // the holes closed: back to no heap memory
    single_ = v.front();
    many_.reset();
  }
  return true;
}

bool SeqSet::Contains(uint64_t seq) const {
  if (!many_) return single_.hi != 0 && seq >= single_.lo && seq <= single_.hi;
  const auto next = std::upper_bound(many_->begin(), many_->end(), seq,
                                     [](uint64_t s, const SeqRange& r) { return s < r.lo; });
  return next != many_->begin() && seq <= std::prev(next)->hi;
}

uint64_t SeqSet::Max() const { return many_ ? many_->back().hi : single_.hi; }

uint64_t SeqSet::Unique() const {
  if (!many_) return single_.hi == 0 ? 0 : Size(single_);
  uint64_t n = 0;
  for (const SeqRange& r : *many_) n += Size(r);
  return n;
}

uint64_t SeqSet::UniqueAbove(uint64_t bound) const {
  const auto above = [bound](const SeqRange& r) -> uint64_t {
    if (r.hi <= bound) return 0;
    return r.hi - std::max(r.lo, bound + 1) + 1;
  };
  if (!many_) return single_.hi == 0 ? 0 : above(single_);
  uint64_t n = 0;
  for (const SeqRange& r : *many_) n += above(r);
  return n;
}

std::vector<SeqRange> SeqSet::MissingRanges(size_t limit) const {
  std::vector<SeqRange> out;
  uint64_t seen_to = 0;  // every seq in 1..seen_to is accounted for
  const auto visit = [&](const SeqRange& r) {
    if (out.size() < limit && r.lo > seen_to + 1) out.push_back({seen_to + 1, r.lo - 1});
    seen_to = r.hi;
  };
  if (!many_) {
    if (single_.hi != 0) visit(single_);
  } else {
    for (const SeqRange& r : *many_) {
      if (out.size() >= limit) break;
      visit(r);
    }
  }
  return out;
}

size_t SeqSet::HeapBytes() const {
  if (!many_) return 0;
  return sizeof(*many_) + many_->capacity() * sizeof(SeqRange);
}

size_t SeqSet::RangeCount() const {
  if (many_) return many_->size();
  return single_.hi == 0 ? 0 : 1;
}

}  // namespace iiot
