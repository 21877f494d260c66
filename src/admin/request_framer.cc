#include "admin/request_framer.h"

#include <cstdio>
#include <cstring>
#include <vector>

namespace iiot {

namespace {

constexpr size_t kMaxEmptyLines = 8;            // before the request line
constexpr size_t kMaxContentLengthDigits = 18;  // fits uint64_t

bool IsTokenChar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr);
}
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!IsTokenChar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}
// A header value's bytes: visible ASCII, space, tab and bytes >= 0x80 (obs-text).
bool IsValueText(std::string_view s) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c != '\t' && (c < 0x20 || c == 0x7f)) return false;
  }
  return true;
}
bool IsTargetText(std::string_view s) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}
bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; };
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}
std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Received text as an error message may quote it: printable ASCII, other bytes as \xNN,
// at most 40 bytes of it.
std::string Quoted(std::string_view text) {
  constexpr size_t kMax = 40;
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char hex[5];
      std::snprintf(hex, sizeof(hex), "\\x%02x", c);
      out += hex;
    }
  }
  out += text.size() > kMax ? "\"..." : "\"";
  return out;
}

Frame Bad(int status, std::string code, std::string message) {
  Frame f;
  f.verdict = Frame::Verdict::kBad;
  f.status = status;
  f.code = std::move(code);
  f.message = std::move(message);
  return f;
}
Frame BadRequest(std::string message) { return Bad(400, "bad_request", std::move(message)); }

Frame HeadTooLarge(const FrameLimits& limits, bool in_request_line) {
  if (in_request_line) {
    return Bad(
        414, "uri_too_long",
        "the request line is longer than " + std::to_string(limits.max_head_bytes) + " bytes");
  }
  return Bad(431, "request_header_fields_too_large",
             "the request head is longer than " + std::to_string(limits.max_head_bytes) + " bytes");
}

// The request line's three parts, checked; a Frame only when it is bad.
struct RequestLine {
  std::string_view method, target, version;
};
bool ParseRequestLine(std::string_view line, const FrameLimits& limits, RequestLine& out,
                      Frame& bad) {
  const size_t sp1 = line.find(' ');
  const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    bad = BadRequest("the request line " + Quoted(line) +
                     " is not \"METHOD target HTTP/1.1\" with single spaces");
    return false;
  }
  out.method = line.substr(0, sp1);
  out.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  out.version = line.substr(sp2 + 1);
  if (!IsToken(out.method)) {
    bad = BadRequest("the method " + Quoted(out.method) + " is not a token");
    return false;
  }
  if (out.target.size() > limits.max_target_bytes) {
    bad = Bad(
        414, "uri_too_long",
        "the request target is longer than " + std::to_string(limits.max_target_bytes) + " bytes");
    return false;
  }
  if (out.target.empty() || !IsTargetText(out.target)) {
    bad = BadRequest("the request target " + Quoted(out.target) +
                     " is empty or holds a byte that is not visible ASCII");
    return false;
  }
  if (out.version == "HTTP/1.1" || out.version == "HTTP/1.0") return true;
  const bool other_version = out.version.size() == 8 && out.version.starts_with("HTTP/") &&
                             out.version[5] >= '0' && out.version[5] <= '9' &&
                             out.version[6] == '.' && out.version[7] >= '0' &&
                             out.version[7] <= '9';
  bad = other_version ? Bad(505, "http_version_not_supported",
                            "only HTTP/1.1 and HTTP/1.0 are served, not " + Quoted(out.version))
                      : BadRequest("the request line ends in " + Quoted(out.version) +
                                   ", not HTTP/1.1 or HTTP/1.0");
  return false;
}

}  // namespace

Frame FrameRequest(std::string_view received, const FrameLimits& limits) {
  // RFC 9112 2.2: empty lines before the request line are skipped (a client may send one
  // after a body).
  size_t pos = 0;
  for (size_t empty = 0;; ++empty) {
    const std::string_view rest = received.substr(pos);
    const size_t skip = rest.starts_with("\r\n") ? 2 : rest.starts_with("\n") ? 1 : 0;
    if (skip == 0) break;
    if (empty == kMaxEmptyLines) {
      return BadRequest("more than " + std::to_string(kMaxEmptyLines) +
                        " empty lines before the request line");
    }
    pos += skip;
  }
  const size_t start = pos;

  // The head's lines, without their line ends; it ends at the first empty line.
  std::vector<std::string_view> lines;
  for (;;) {
    const size_t nl = received.find('\n', pos);
    const size_t head_end = nl == std::string_view::npos ? received.size() : nl + 1;
    if (head_end - start > limits.max_head_bytes) return HeadTooLarge(limits, lines.empty());
    if (nl == std::string_view::npos) {
      const std::string_view partial = received.substr(pos);
      if (const size_t cr = partial.find('\r');
          cr != std::string_view::npos && cr + 1 < partial.size()) {
        return BadRequest("a line holds a carriage return that does not end it");
      }
      return Frame{};  // incomplete head
    }
    std::string_view line = received.substr(pos, nl - pos);
    if (line.ends_with('\r')) line.remove_suffix(1);
    pos = nl + 1;
    if (line.empty()) break;
    if (line.find('\r') != std::string_view::npos) {
      return BadRequest("a line holds a carriage return that does not end it");
    }
    if (lines.size() == limits.max_header_lines + 1) {
      return Bad(
          431, "request_header_fields_too_large",
          "the request has more than " + std::to_string(limits.max_header_lines) + " header lines");
    }
    lines.push_back(line);
  }
  if (lines.empty()) return Frame{};  // only empty lines so far

  RequestLine request_line;
  Frame bad;
  if (!ParseRequestLine(lines[0], limits, request_line, bad)) return bad;
  std::string normalized;
  normalized.reserve(pos - start + 2 * lines.size());
  normalized.append(lines[0]).append("\r\n");

  bool expects_continue = false;
  bool has_length = false;
  size_t body_length = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (line.front() == ' ' || line.front() == '\t') {
      return BadRequest("header line " + std::to_string(i) +
                        " starts with whitespace (folded header lines are not accepted)");
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return BadRequest("header line " + std::to_string(i) + " " + Quoted(line) + " has no colon");
    }
    const std::string_view name = line.substr(0, colon);
    if (!IsToken(name)) {
      return BadRequest("the header name " + Quoted(name) +
                        " is not a token (no spaces before the colon)");
    }
    const std::string_view value = TrimWhitespace(line.substr(colon + 1));
    if (!IsValueText(value)) {
      return BadRequest("the value of header " + std::string(name) + " holds a control byte");
    }
    if (EqualsIgnoringCase(name, "Transfer-Encoding")) {
      return Bad(501, "not_implemented",
                 "Transfer-Encoding is not supported; send the body with Content-Length");
    }
    if (EqualsIgnoringCase(name, "Content-Length")) {
      if (has_length) return BadRequest("the request has more than one Content-Length");
      has_length = true;
      const bool digits =
          !value.empty() && value.find_first_not_of("0123456789") == std::string_view::npos;
      if (!digits) {
        return BadRequest("Content-Length " + Quoted(value) + " is not a number of bytes");
      }
      if (value.size() > kMaxContentLengthDigits) body_length = SIZE_MAX;
      for (const char c : value) {
        if (body_length == SIZE_MAX) break;
        body_length = body_length * 10 + static_cast<size_t>(c - '0');
      }
    }
    if (EqualsIgnoringCase(name, "Expect")) {
      // An HTTP/1.0 client is never sent 100 Continue (RFC 9110 10.1.1).
      expects_continue =
          EqualsIgnoringCase(value, "100-continue") && request_line.version == "HTTP/1.1";
      continue;
    }
    if (EqualsIgnoringCase(name, "Connection")) {
      // httplib matches "close" and "Keep-Alive" exactly; the header is case-insensitive.
      std::string token(value);
      for (char& c : token) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c;
      normalized.append(name).append(": ").append(token == "keep-alive" ? "Keep-Alive" : token);
      normalized.append("\r\n");
      continue;
    }
    normalized.append(name).append(": ").append(value).append("\r\n");
  }
  if (body_length > limits.max_body_bytes) {
    return Bad(
        413, "payload_too_large",
        "the request body is larger than " + std::to_string(limits.max_body_bytes) + " bytes");
  }
  if (received.size() - pos < body_length) {
    Frame more;
    more.head_complete = true;
    more.expects_continue = expects_continue;
    return more;
  }
  Frame done;
  done.verdict = Frame::Verdict::kComplete;
  done.length = pos + body_length;
  done.normalized = std::move(normalized);
  done.normalized.append("\r\n").append(received.substr(pos, body_length));
  return done;
}

}  // namespace iiot
