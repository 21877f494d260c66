#include "verify/verify_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace iiot {

namespace {

using Json = nlohmann::ordered_json;

// 1234567 -> "1,234,567".
std::string Thousands(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// "3 duplicates", "1 duplicate".
std::string Count(uint64_t n, const char* one, const char* many) {
  return Thousands(n) + " " + (n == 1 ? one : many);
}

double Rate(const VerifyReport& r) {
  return r.seconds > 0 ? static_cast<double>(r.messages) / r.seconds : 0.0;
}

// The seq tracking's bytes per device tracked; 0 with no device.
double BytesPerDevice(const TrackerTotals& t) {
  return t.devices > 0 ? static_cast<double>(t.memory_bytes) / static_cast<double>(t.devices) : 0.0;
}

std::string Range(const SeqRange& r) {
  return r.lo == r.hi ? std::to_string(r.lo) : fmt::format("{}..{}", r.lo, r.hi);
}

// The "missing" cell of a device row: "5, 10..12, …", then the tail and any excess.
std::string MissingCell(const DeviceStats& d) {
  std::vector<std::string> parts;
  uint64_t listed = 0;
  for (const SeqRange& r : d.missing) {
    parts.push_back(Range(r));
    const uint64_t n = r.hi - r.lo + 1;
    listed = n > UINT64_MAX - listed ? UINT64_MAX : listed + n;
  }
  if (d.gaps > listed) parts.emplace_back("…");
  if (d.missing_tail > 0) {
    parts.push_back(Range({d.max_seq + 1, d.max_seq + d.missing_tail}) + " (tail)");
  }
  if (d.beyond_expected > 0) parts.push_back(fmt::format("{} above expected", d.beyond_expected));
  return parts.empty() ? "-" : fmt::format("{}", fmt::join(parts, ", "));
}

Json DeviceJson(const DeviceStats& d, const Expectations& expect) {
  Json missing = Json::array();
  for (const SeqRange& r : d.missing) missing.push_back(Json::array({r.lo, r.hi}));
  Json j = {{"device_id", d.device_id},
            {"messages", d.messages},
            {"unique", d.unique},
            {"max_seq", d.max_seq},
            {"gaps", d.gaps},
            {"missing", std::move(missing)},
            {"duplicates", d.duplicates},
            {"out_of_order", d.out_of_order},
            {"key_mismatches", d.key_mismatches},
            {"partitions", d.partitions}};
  if (expect.per_device) {
    j["missing_tail"] = d.missing_tail;
    j["beyond_expected"] = d.beyond_expected;
    j["matches_expected"] = d.matches_expected;
  }
  return j;
}

}  // namespace

void Judge(VerifyReport* r) {
  std::vector<std::string>& why = r->reasons;
  why.clear();
  const TrackerTotals& t = r->totals;
  if (!r->error.empty()) why.push_back("read failed: " + r->error);
  if (t.gaps > 0) why.push_back(Count(t.gaps, "missing seq", "missing seqs") + " (gaps)");
  if (t.duplicates > 0) why.push_back(Count(t.duplicates, "duplicate", "duplicates"));
  if (t.out_of_order > 0) why.push_back(Count(t.out_of_order, "out of order", "out of order"));
  if (t.multi_partition_devices > 0) {
    why.push_back(Count(t.multi_partition_devices, "device", "devices") +
                  " on more than one partition");
  }
  if (r->unparsable > 0) {
    why.push_back(Count(r->unparsable, "unparsable message", "unparsable messages") +
                  (r->unparsable == r->messages ? " (all of them: is --format right?)" : ""));
  }
  if (t.key_mismatches > 0)
    why.push_back(Count(t.key_mismatches, "key mismatch", "key mismatches"));
  if (r->expect.Any() && r->error.empty() && r->messages == 0) {
    why.push_back("the topic is empty");
  } else if (r->expect.devices && *r->expect.devices != t.devices) {
    why.push_back(fmt::format("expected {} devices, found {}", Thousands(*r->expect.devices),
                              Thousands(t.devices)));
  }
  if (r->expect.per_device && t.devices_not_matching > 0) {
    why.push_back(fmt::format("{} without exactly seqs 1..{}",
                              Count(t.devices_not_matching, "device", "devices"),
                              *r->expect.per_device));
  }
  r->clean = why.empty();
}

std::string RenderTable(const VerifyReport& r, size_t worst_rows) {
  const TrackerTotals& t = r.totals;
  std::string out =
      fmt::format("verify: topic {} on {}, format {}, read in {:.2f} s ({} msg/s)\n\n", r.topic,
                  r.brokers, Name(r.format), r.seconds, Thousands(static_cast<uint64_t>(Rate(r))));
  const auto row = [&out](const char* what, uint64_t n, const std::string& note = {}) {
    out += fmt::format("  {:<26}{:>14}{}\n", what, Thousands(n), note.empty() ? "" : "   " + note);
  };
  row("messages", r.messages);
  row("devices", t.devices,
      r.expect.devices ? fmt::format("expected {}", Thousands(*r.expect.devices)) : "");
  row("gaps (missing seqs)", t.gaps);
  row("duplicates", t.duplicates);
  row("out of order", t.out_of_order);
  row("late (replayed)", r.late,
      r.late > 0 ? fmt::format("up to {:.1f} s behind", static_cast<double>(r.late_max_ms) / 1000)
                 : "");
  row("multi-partition devices", t.multi_partition_devices);
  row("unparsable", r.unparsable);
  row("key mismatches", t.key_mismatches);
  if (r.expect.per_device) {
    row("devices not 1..M", t.devices_not_matching,
        fmt::format("expected {} per device", Thousands(*r.expect.per_device)));
  }
  row("bytes per device", static_cast<uint64_t>(BytesPerDevice(t) + 0.5),
      fmt::format("seq tracking holds {} bytes", Thousands(t.memory_bytes)));

  if (!r.partitions.empty()) {
    out += fmt::format("\npartitions (offsets captured at start)\n  {:>9} {:>14} {:>14} {:>14}\n",
                       "partition", "start", "end", "messages");
    bool truncated_head = false;
    for (const PartitionStats& p : r.partitions) {
      out += fmt::format("  {:>9} {:>14} {:>14} {:>14}\n", p.partition,
                         Thousands(static_cast<uint64_t>(p.start)),
                         Thousands(static_cast<uint64_t>(p.end)), Thousands(p.messages));
      truncated_head = truncated_head || p.start > 0;
    }
    if (truncated_head) {
      out +=
          "  (a partition starting after offset 0 lost its oldest messages to retention;"
          " early seqs may be missing for that reason)\n";
    }
  }

  if (!r.worst.empty()) {
    const size_t rows = std::min(worst_rows, r.worst.size());
    size_t id_width = 6;
    for (size_t i = 0; i < rows; ++i) id_width = std::max(id_width, r.worst[i].device_id.size());
    out += fmt::format("\nworst devices ({} of {} with problems)\n", rows,
                       Thousands(t.devices_with_problems));
    out += fmt::format("  {:<{}} {:>10} {:>10} {:>8} {:>6} {:>6} {:>6}  {:<10}  {}\n", "device",
                       id_width, "messages", "max seq", "gaps", "dups", "ooo", "keys", "partitions",
                       "missing seqs");
    for (size_t i = 0; i < rows; ++i) {
      const DeviceStats& d = r.worst[i];
      out += fmt::format("  {:<{}} {:>10} {:>10} {:>8} {:>6} {:>6} {:>6}  {:<10}  {}\n",
                         d.device_id, id_width, d.messages, d.max_seq, d.gaps, d.duplicates,
                         d.out_of_order, d.key_mismatches,
                         fmt::format("{}", fmt::join(d.partitions, ",")), MissingCell(d));
    }
  }

  if (!r.unparsable_examples.empty()) {
    out += fmt::format("\nunparsable messages (first {} of {})\n", r.unparsable_examples.size(),
                       Thousands(r.unparsable));
    for (const UnparsableExample& e : r.unparsable_examples) {
      out += fmt::format("  partition {} offset {}: {}\n", e.partition, e.offset, e.error);
    }
  }
  if (!r.error.empty()) out += fmt::format("\nerror: {}\n", r.error);

  out += r.clean ? "\nverify: CLEAN\n"
                 : fmt::format("\nverify: NOT CLEAN ({})\n", fmt::join(r.reasons, "; "));
  return out;
}

std::string RenderJson(const VerifyReport& r) {
  const TrackerTotals& t = r.totals;
  Json partitions = Json::array();
  for (const PartitionStats& p : r.partitions) {
    partitions.push_back({{"partition", p.partition},
                          {"start_offset", p.start},
                          {"end_offset", p.end},
                          {"messages", p.messages}});
  }
  Json examples = Json::array();
  for (const UnparsableExample& e : r.unparsable_examples) {
    examples.push_back({{"partition", e.partition}, {"offset", e.offset}, {"error", e.error}});
  }
  Json devices = Json::array();
  for (const DeviceStats& d : r.worst) devices.push_back(DeviceJson(d, r.expect));
  const auto optional = [](const std::optional<uint64_t>& v) { return v ? Json(*v) : Json(); };

  Json j = {
      {"clean", r.clean},
      {"reasons", r.reasons},
      {"error", r.error.empty() ? Json() : Json(r.error)},
      {"topic", r.topic},
      {"brokers", r.brokers},
      {"format", Name(r.format)},
      {"totals",
       {{"messages", r.messages},
        {"devices", t.devices},
        {"gaps", t.gaps},
        {"duplicates", t.duplicates},
        {"out_of_order", t.out_of_order},
        {"late", r.late},
        {"late_max_ms", r.late_max_ms},
        {"multi_partition_devices", t.multi_partition_devices},
        {"unparsable", r.unparsable},
        {"key_mismatches", t.key_mismatches},
        {"devices_with_problems", t.devices_with_problems}}},
      {"expectations",
       {{"devices", optional(r.expect.devices)},
        {"per_device", optional(r.expect.per_device)},
        {"devices_not_matching", r.expect.per_device ? Json(t.devices_not_matching) : Json()}}},
      {"partitions", std::move(partitions)},
      {"memory", {{"bytes", t.memory_bytes}, {"bytes_per_device", BytesPerDevice(t)}}},
      {"seconds", r.seconds},
      {"messages_per_second", Rate(r)},
      {"unparsable_examples", std::move(examples)},
      {"devices", std::move(devices)},
      {"devices_omitted",
       t.devices_with_problems - std::min<uint64_t>(t.devices_with_problems, r.worst.size())},
  };
  return j.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace iiot
