// The property the request-framer fuzzer checks (tests/fuzz/request_framer_fuzzer.cc),
// shared with the unit test that replays its corpus (tests/unit/admin/request_framer_test.cc):
// for any bytes an admin connection received, FrameRequest
//   - frames a complete request the same whatever follows it, and its normalized form
//     frames to itself, whole;
//   - refuses with a status of its own and a message in printable ASCII;
//   - reports Expect: 100-continue only once the head is complete.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "admin/request_framer.h"

namespace iiot::fuzz {

// "" when the promises hold for `bytes`; otherwise which one broke.
inline std::string RequestFramingProblem(std::string_view bytes) {
  const FrameLimits limits;
  const Frame f = FrameRequest(bytes, limits);
  using Verdict = Frame::Verdict;
  switch (f.verdict) {
    case Verdict::kComplete: {
      if (f.length == 0 || f.length > bytes.size()) return "length outside the input";
      const Frame again = FrameRequest(f.normalized, limits);
      if (again.verdict != Verdict::kComplete || again.length != f.normalized.size() ||
          again.normalized != f.normalized) {
        return "the normalized request does not frame to itself";
      }
      const Frame longer = FrameRequest(std::string(bytes) + "GET / HTTP/1.1\r\n", limits);
      if (longer.verdict != Verdict::kComplete || longer.length != f.length) {
        return "the bytes after the request changed its framing";
      }
      return "";
    }
    case Verdict::kBad:
      if (f.status != 400 && f.status != 413 && f.status != 414 && f.status != 431 &&
          f.status != 501 && f.status != 505) {
        return "refused with status " + std::to_string(f.status);
      }
      if (f.code.empty() || f.message.empty()) return "a refusal without code or message";
      for (const char c : f.message) {
        if (c < 0x20 || c >= 0x7f) return "a byte outside printable ASCII in: " + f.message;
      }
      return "";
    case Verdict::kIncomplete:
      return f.expects_continue && !f.head_complete ? "100-continue before the head ended" : "";
  }
  return "no verdict";
}

}  // namespace iiot::fuzz
