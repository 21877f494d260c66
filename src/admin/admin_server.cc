#include "admin/admin_server.h"

#include <netdb.h>
#include <pthread.h>
#include <sys/socket.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

#include "admin/bearer_token.h"
#include "admin/http_listener.h"
#include "base/host_port.h"

namespace iiot {

namespace {

constexpr const char* kMetricsType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kJsonType = "application/json";
constexpr std::string_view kGet = "GET, HEAD";
constexpr std::string_view kPost = "POST";
constexpr size_t kMaxBodyBytes = 4096;

// strerror's text starting in lower case, to read well after "admin.addr ...: ".
std::string Reason(int err) {
  std::string text = err != 0 ? std::strerror(err) : "cannot listen";
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return text;
}

AdminResponse Error(int status, std::string_view code, std::string_view message) {
  return AdminResponse{status, kJsonType,
                       nlohmann::json{{"error", code}, {"message", message}}.dump(
                           -1, ' ', false, nlohmann::json::error_handler_t::replace) +
                           "\n"};
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
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (const int rc = getaddrinfo(hp->host.c_str(), nullptr, &hints, &found); rc != 0) {
    return Fail("admin.addr " + addr + ": cannot resolve \"" + hp->host +
                "\": " + gai_strerror(rc));
  }
  freeaddrinfo(found);

  std::unique_ptr<AdminServer> server(
      new AdminServer(hp->host, std::move(token), std::move(endpoints)));
  try {
    server->listener_ = std::make_unique<HttpListener>(HttpListener::Limits{});
  } catch (const std::system_error& e) {
    return Fail("admin.addr " + addr + ": " + e.what());
  }
  HttpListener& http = *server->listener_;
  server->ServeOn(http);

  errno = 0;
  const int port = hp->port == 0 ? http.bind_to_any_port(hp->host)
                                 : (http.bind_to_port(hp->host, hp->port) ? hp->port : -1);
  if (port <= 0) return Fail("admin.addr " + addr + ": " + Reason(errno));
  server->port_ = port;

  server->accept_thread_ = std::thread([srv = server.get()] {
    pthread_setname_np(pthread_self(), "iiot-admin");
    srv->listener_->listen_after_bind();
    srv->accept_done_ = true;
  });
  // Shutdown needs a running server; listen_after_bind sets that flag on its own thread.
  while (!http.is_running() && !server->accept_done_) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!http.is_running()) {
    return Fail("admin.addr " + addr + ": the server stopped at once");  // joined by ~AdminServer
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
  // A request with neither Content-Length nor Transfer-Encoding has no body; answer it
  // before httplib would wait for one until the read timeout ("curl -X POST ...").
  http.set_pre_routing_handler([respond](const Request& req, Response& res) {
    if (req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
      return Outcome::Unhandled;
    }
    respond(req, res);
    return Outcome::Handled;
  });
  // Requests with a body: httplib reads it first (413 past kMaxBodyBytes).
  http.set_payload_max_length(kMaxBodyBytes);
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
  // SO_REUSEADDR only (httplib's default adds SO_REUSEPORT, which would let a second
  // process bind the same port and share its connections).
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
}

AdminServer::~AdminServer() {
  if (listener_ && listener_->is_running()) listener_->Shutdown();
  if (accept_thread_.joinable()) accept_thread_.join();
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
