// VerifyReport: the outcome of `iiot-producer verify` as plain data, the verdict (Judge:
// clean or not, and why), and its two renderings: the human table and the JSON object
// described in docs/verify.md. Pure functions over a value; thread-safe.
//
// Example:
//   VerifyReport r = VerifyTopic(options, log);   // verify_command.h; already judged
//   std::fputs((json ? RenderJson(r) : RenderTable(r)).c_str(), stdout);
//   return r.clean ? 0 : 1;
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "verify/seq_tracker.h"

namespace iiot {

// What the user said the topic must hold (--expect-devices N, --expect-per-device M).
struct Expectations {
  std::optional<uint64_t> devices;     // exactly N distinct devices
  std::optional<uint64_t> per_device;  // every device: seqs exactly 1..M, each once

  bool Any() const { return devices.has_value() || per_device.has_value(); }
};

// A message Decode rejected.
struct UnparsableExample {
  int32_t partition = 0;
  int64_t offset = 0;
  std::string error;
};

// One partition as read: offsets [start, end) captured at the start, messages handed over.
struct PartitionStats {
  int32_t partition = 0;
  int64_t start = 0;
  int64_t end = 0;
  uint64_t messages = 0;
};

struct VerifyReport {
  std::string topic;
  std::string brokers;
  Format format = Format::kJson;
  Expectations expect;

  std::string error;          // broker or topic error; "" when every partition was read
  bool config_error = false;  // the error is a rejected kafka.properties entry
  uint64_t messages = 0;      // every message read, unparsable ones included
  uint64_t unparsable = 0;
  std::vector<UnparsableExample> unparsable_examples;  // the first few
  TrackerTotals totals;  // over the parsed messages (totals.messages excludes unparsable)
  // Late messages: replayed after a network outage (they carry its label). Not a problem:
  // each device's own messages stay in seq order. late_max_ms: the most a late message's ts
  // was behind the newest ts read before it on its partition.
  uint64_t late = 0;
  int64_t late_max_ms = 0;
  std::vector<DeviceStats> worst;  // devices with problems, worst first, bounded
  std::vector<PartitionStats> partitions;
  double seconds = 0;  // wall time of the read

  // Set by Judge.
  bool clean = false;
  std::vector<std::string> reasons;  // why not clean: "3 missing seqs (gaps)", ...
};

// Sets clean and reasons: clean means the whole topic was read, with no gap, duplicate,
// out-of-order message, device on several partitions, unparsable message or key mismatch,
// and every expectation met (any expectation on an empty topic fails).
void Judge(VerifyReport* report);

// The human report: summary table, partitions, the `worst_rows` worst devices, unparsable
// examples, and a last line "verify: CLEAN" or "verify: NOT CLEAN (reasons)". Ends in '\n'.
std::string RenderTable(const VerifyReport& report, size_t worst_rows = 10);

// The JSON report, one object on one line followed by '\n' (docs/verify.md lists the fields).
std::string RenderJson(const VerifyReport& report);

}  // namespace iiot
