// Checking the "Authorization: Bearer <token>" header of an admin request against the
// configured token, without leaking through timing how much of a guess was right.
// Pure functions; thread-safe. Nothing here logs or copies the token.
//
// Example:
//   switch (CheckBearerToken(configured, req.get_header_value("Authorization"))) {
//     case TokenCheck::kOk: ...                  // run the request
//     case TokenCheck::kMissingOrMalformed: ...  // 401 with WWW-Authenticate: Bearer
//     case TokenCheck::kWrongToken: ...          // 403
//     case TokenCheck::kNotConfigured: ...       // 403: the endpoint is disabled
//   }
#pragma once

#include <optional>
#include <string_view>

namespace iiot {

// True when a and b hold the same bytes. Reads every byte of both strings and never exits
// early, so the time taken depends on the lengths only, not on where they differ; a length
// difference makes the result false without shortening the loop.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// The token of an Authorization header value "Bearer <token>" (scheme case-insensitive,
// one or more spaces, surrounding whitespace ignored). nullopt when the value is empty,
// uses another scheme, or the token is empty or holds spaces or control characters.
std::optional<std::string_view> BearerToken(std::string_view authorization);

enum class TokenCheck {
  kOk,
  kNotConfigured,       // the configured token is empty: the protected endpoint is disabled
  kMissingOrMalformed,  // no Authorization header, or not "Bearer <token>"
  kWrongToken,
};

// Judges an Authorization header value ("" when absent) against the configured token.
[[nodiscard]] TokenCheck CheckBearerToken(std::string_view configured,
                                          std::string_view authorization);

}  // namespace iiot
