// FrameRequest: where the first HTTP/1.x request in a connection's received bytes ends, and
// whether it may be served, judged strictly before any of it reaches a handler:
//   - the request line is "METHOD SP target SP HTTP/1.x"; every header line is
//     "name: value" with a token name; lines end in LF or CRLF; no control bytes, no
//     line folding;
//   - the body is framed by one Content-Length of digits only (none: no body); a second
//     Content-Length, a sign, a space inside it, or any Transfer-Encoding is refused, so
//     that no body can be read as a request of its own;
//   - the head is bounded (bytes and lines), the body by max_body_bytes.
// A complete request is passed on normalized: CRLF line ends, header values trimmed, the
// Expect header (already answered by the caller) left out, the body as received.
//
// A pure function of its input: thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace iiot {

struct FrameLimits {
  size_t max_head_bytes = 16 * 1024;   // request line and headers (431 beyond)
  size_t max_target_bytes = 8 * 1024;  // the request line's target (414 beyond)
  size_t max_header_lines = 100;       // 431 beyond
  size_t max_body_bytes = 4096;        // 413 beyond
};

struct Frame {
  enum class Verdict {
    kIncomplete,  // more bytes are needed
    kComplete,    // `length` bytes make one request that may be served
    kBad,         // answer `status` and close: what follows cannot be trusted to start a request
  };
  Verdict verdict = Verdict::kIncomplete;

  // kIncomplete: the head is complete and only body bytes are missing.
  bool head_complete = false;
  // kIncomplete with head_complete: the client sent "Expect: 100-continue".
  bool expects_continue = false;

  // kComplete: the bytes the request takes (leading empty lines, head and body), and the
  // request as passed on.
  size_t length = 0;
  std::string normalized;

  // kBad: the status (400, 413, 414, 431, 501, 505), an error code ("bad_request") and a
  // message naming what was wrong, in printable ASCII whatever the input held.
  int status = 0;
  std::string code;
  std::string message;
};

Frame FrameRequest(std::string_view received, const FrameLimits& limits);

}  // namespace iiot
