// The errors the admin port answers. Every error body is
//   {"error":"<code>","message":"<text>"}\n
// whether an endpoint, the router or the connection layer gives it; bytes of the message
// that are not UTF-8 are replaced, so that the body stays valid JSON.
//
// Pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace iiot {

// The JSON body.
std::string JsonError(std::string_view code, std::string_view message);

// A whole HTTP/1.1 response with that body, as the connection layer sends it by itself
// (a bad request, a timeout, a refusal): "Connection: close", and "Retry-After: 1" when
// the client should try again shortly.
std::string ErrorResponse(int status, std::string_view code, std::string_view message,
                          bool retry_later = false);

}  // namespace iiot
