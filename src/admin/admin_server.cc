#include "admin/admin_server.h"

#include <pthread.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "admin/bearer_token.h"
#include "admin/error_response.h"
#include "admin/http_listener.h"
#include "base/host_port.h"

namespace iiot {

namespace {

constexpr const char* kMetricsType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kJsonType = "application/json";
constexpr std::string_view kGet = "GET, HEAD";
constexpr std::string_view kPost = "POST";
constexpr size_t kMaxBodyBytes = 4096;

AdminResponse Error(int status, std::string_view code, std::string_view message) {
  return AdminResponse{status, kJsonType, JsonError(code, message)};
}

// The error code and text of a status httplib answers by itself (no route reached).
AdminResponse ProtocolError(int status) {
  switch (status) {
    case 400:
      return Error(400, "bad_request", "the request could not be parsed");
    case 413:
      return Error(413, "payload_too_large", "the request body is larger than 4096 bytes");
    case 414:
      return Error(414, "uri_too_long", "the request target is too long");
    default:
      return Error(status, "http_error", "the request could not be served");
  }
}

void Fill(const AdminResponse& from,
          const std::vector<std::pair<std::string, std::string>>& headers, httplib::Response& res) {
  res.status = from.status;
  for (const auto& [name, value] : headers) res.set_header(name, value);
  res.set_header("Cache-Control", "no-store");
  res.set_content(from.body, from.content_type);
}

}  // namespace

AdminServer::AdminServer(std::string host, std::string token, AdminEndpoints endpoints)
    : host_(std::move(host)),
      token_(std::move(token)),
      routes_{
          {"/metrics", kGet, false, "",
           endpoints.metrics
               ? std::function<AdminResponse()>([metrics = std::move(endpoints.metrics)] {
                   return AdminResponse{200, kMetricsType, metrics()};
                 })
               : nullptr},
          {"/healthz", kGet, false, "", std::move(endpoints.healthz)},
          {"/readyz", kGet, false, "", std::move(endpoints.readyz)},
          {"/api/v1/stats", kGet, false, "", std::move(endpoints.stats)},
          {"/api/v1/config", kGet, false, "", std::move(endpoints.config)},
          {"/api/v1/config/reload", kPost, true, "reload", std::move(endpoints.reload)},
          {"/api/v1/drill/fatal-error", kPost, true, "drill", std::move(endpoints.fatal_drill)},
          {"/api/v1/incidents", "GET, HEAD, POST, DELETE", true, "incidents", nullptr,
           std::move(endpoints.incidents)},
      } {}

Result<std::unique_ptr<AdminServer>> AdminServer::Start(const std::string& addr, std::string token,
                                                        AdminEndpoints endpoints) {
  const std::optional<HostPort> hp = ParseHostPort(addr);
  if (!hp) {
    return Fail("admin.addr " + addr +
                ": is not host:port (port 0..65535; an IPv6 host in brackets)");
  }
  std::unique_ptr<AdminServer> server(
      new AdminServer(hp->host, std::move(token), std::move(endpoints)));
  HttpListener::Limits limits;
  limits.frame.max_body_bytes = kMaxBodyBytes;
  try {
    server->listener_ = std::make_unique<HttpListener>(limits);
  } catch (const std::system_error& e) {
    return Fail("admin.addr " + addr + ": cannot start the admin server: " + e.what());
  }
  HttpListener& http = *server->listener_;
  server->ServeOn(http);

  const Result<int> port = http.Bind(hp->host, hp->port);
  if (!port) return Fail("admin.addr " + addr + ": " + port.error().message);
  server->port_ = *port;

  try {
    server->serve_thread_ = std::thread([srv = server.get()] {
      pthread_setname_np(pthread_self(), "iiot-admin");
      srv->listener_->Run();
    });
  } catch (const std::system_error& e) {
    return Fail("admin.addr " + addr + ": cannot start the admin server: " + e.what());
  }
  return server;
}

void AdminServer::ServeOn(HttpListener& http) const {
  using httplib::Request;
  using httplib::Response;
  using Outcome = httplib::Server::HandlerResponse;
  const auto respond = [this](const Request& req, Response& res) {
    const Reply r = Respond(req.method, req.path, req.get_header_value("Authorization"), req.body);
    Fill(r.response, r.headers, res);
  };
  http.Get(".*", respond).Post(".*", respond).Put(".*", respond).Patch(".*", respond);
  http.Delete(".*", respond).Options(".*", respond);
  // Answers httplib gives by itself (an unparsable request, a body too large, a method it
  // keeps no routes for) get a JSON body too; ours carry Cache-Control already.
  http.set_error_handler(
      httplib::Server::HandlerWithResponse([this](const Request& req, Response& res) {
        if (res.has_header("Cache-Control")) return Outcome::Unhandled;
        const Reply r = res.status == 404 ? Respond(req.method, req.path, "")
                                          : Reply{ProtocolError(res.status), {}};
        Fill(r.response, r.headers, res);
        return Outcome::Handled;
      }));
  // Respond catches what endpoints throw; this is for anything else.
  http.set_exception_handler([](const Request&, Response& res, std::exception_ptr) {
    Fill(Error(500, "internal", "the request failed"), {}, res);
  });
}

AdminServer::~AdminServer() {
  if (listener_) listener_->Shutdown();
  if (serve_thread_.joinable()) serve_thread_.join();
}

std::string AdminServer::address() const {
  const bool v6 = host_.find(':') != std::string::npos;
  return (v6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
}

AdminServer::Reply AdminServer::Respond(std::string_view method, std::string_view path,
                                        std::string_view authorization,
                                        std::string_view body) const {
  for (const Route& route : routes_) {
    AdminRequest request{method == "HEAD" ? "GET" : method, "", body};
    if (route.handle && path.size() > route.path.size() + 1 && path.starts_with(route.path) &&
        path[route.path.size()] == '/') {
      request.item = path.substr(route.path.size() + 1);
    } else if (route.path != path) {
      continue;
    }
    if (!route.serve && !route.handle) continue;
    // Collections: GET lists and POST adds at the path; DELETE removes an item.
    bool allowed = route.allow == kPost ? method == "POST" : (method == "GET" || method == "HEAD");
    if (route.handle) {
      allowed = request.item.empty() ? request.method == "GET" || request.method == "POST"
                                     : request.method == "DELETE";
    }
    if (!allowed) {
      const std::string allow = !route.handle          ? std::string(route.allow)
                                : request.item.empty() ? "GET, HEAD, POST"
                                                       : "DELETE";
      return {Error(405, "method_not_allowed",
                    std::string(method) + " is not allowed here; use " + allow),
              {{"Allow", allow}}};
    }
    return Serve(route, authorization, request);
  }
  return {Error(404, "not_found", "no endpoint at " + std::string(path)), {}};
}

AdminServer::Reply AdminServer::Serve(const Route& route, std::string_view authorization,
                                      const AdminRequest& request) const {
  const bool needs_token = route.handle ? request.method != "GET" : route.needs_token;
  if (needs_token) {
    switch (CheckBearerToken(token_, authorization)) {
      case TokenCheck::kOk:
        break;
      case TokenCheck::kNotConfigured:
        return {Error(403, std::string(route.action) + "_disabled",
                      std::string(route.action) +
                          " is disabled because no admin token is configured; set "
                          "IIOT_ADMIN_TOKEN or admin.token_file to enable it"),
                {}};
      case TokenCheck::kMissingOrMalformed:
        return {Error(401, "unauthorized",
                      "this endpoint needs the header \"Authorization: Bearer <token>\""),
                {{"WWW-Authenticate", "Bearer realm=\"iiot-producer\""}}};
      case TokenCheck::kWrongToken:
        return {Error(403, "forbidden", "the bearer token does not match"), {}};
    }
  }
  try {
    return {route.handle ? route.handle(request) : route.serve(), {}};
  } catch (const std::exception& e) {
    return {Error(500, "internal", std::string(route.path) + " failed: " + e.what()), {}};
  } catch (...) {
    return {Error(500, "internal", std::string(route.path) + " failed"), {}};
  }
}

}  // namespace iiot
