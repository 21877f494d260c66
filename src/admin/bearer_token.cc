#include "admin/bearer_token.h"

#include <algorithm>

namespace iiot {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsTokenChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u < 0x7f;
}

bool StartsWithBearer(std::string_view s) {
  constexpr std::string_view kScheme = "bearer";
  if (s.size() < kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    const char c = s[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != kScheme[i]) return false;
  }
  return true;
}

}  // namespace

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  const size_t n = std::max(a.size(), b.size());
  // Any length difference sets a bit; every byte position of the longer string is visited,
  // the shorter one read as zeros past its end.
  size_t diff = a.size() ^ b.size();
  for (size_t i = 0; i < n; ++i) {
    const auto x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0u;
    const auto y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0u;
    diff |= static_cast<size_t>(x ^ y);
  }
  // Keep the compiler from turning the accumulation into an early exit.
  volatile size_t result = diff;
  return result == 0;
}

std::optional<std::string_view> BearerToken(std::string_view authorization) {
  std::string_view s = TrimSpaces(authorization);
  if (!StartsWithBearer(s)) return std::nullopt;
  s.remove_prefix(6);
  if (s.empty() || !IsSpace(s.front())) return std::nullopt;  // "Bearer" alone, "Bearerx"
  s = TrimSpaces(s);
  if (s.empty() || !std::all_of(s.begin(), s.end(), IsTokenChar)) return std::nullopt;
  return s;
}

TokenCheck CheckBearerToken(std::string_view configured, std::string_view authorization) {
  if (configured.empty()) return TokenCheck::kNotConfigured;
  const std::optional<std::string_view> presented = BearerToken(authorization);
  if (!presented) return TokenCheck::kMissingOrMalformed;
  return ConstantTimeEquals(*presented, configured) ? TokenCheck::kOk : TokenCheck::kWrongToken;
}

}  // namespace iiot
