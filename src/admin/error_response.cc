#include "admin/error_response.h"

#include <nlohmann/json.hpp>

namespace iiot {

namespace {

std::string_view StatusText(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Error";
  }
}

}  // namespace

std::string JsonError(std::string_view code, std::string_view message) {
  return nlohmann::json{{"error", code}, {"message", message}}.dump(
             -1, ' ', false, nlohmann::json::error_handler_t::replace) +
         "\n";
}

std::string ErrorResponse(int status, std::string_view code, std::string_view message,
                          bool retry_later) {
  const std::string body = JsonError(code, message);
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(StatusText(status)) +
                    "\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n"
                    "Connection: close\r\n";
  if (retry_later) out += "Retry-After: 1\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return out;
}

}  // namespace iiot
