// JsonError: the body of every error the admin port answers,
//   {"error":"<code>","message":"<text>"}\n
// whether an endpoint, the router or the connection layer gives it. Bytes of the message
// that are not UTF-8 are replaced, so that the body stays valid JSON.
//
// A pure function: thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace iiot {

inline std::string JsonError(std::string_view code, std::string_view message) {
  return nlohmann::json{{"error", code}, {"message", message}}.dump(
             -1, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

}  // namespace iiot
