// AdminServer: the process's HTTP admin endpoint on one port. It serves
//   GET  /metrics                 Prometheus text exposition
//   GET  /healthz, GET /readyz    liveness and readiness
//   GET  /api/v1/stats            run statistics (JSON)
//   GET  /api/v1/config           the effective configuration (YAML, secrets redacted)
//   POST /api/v1/config/reload    reload the configuration; needs "Authorization: Bearer <token>"
//   POST /api/v1/drill/fatal-error  make the Kafka producer fail fatally (a drill); token too
//   GET  /api/v1/incidents        incidents under way; POST starts one, DELETE
//                                 /api/v1/incidents/{id} ends one (both need the token)
// and answers 404 for other paths, 405 (with Allow) for other methods, 401/403 for the POST
// and DELETE endpoints without the right token, and 500 when an endpoint throws. Error bodies are
// JSON:
// {"error":"<code>","message":"<text>"}. HEAD is served like GET, without the body.
//
// The server knows nothing of the rest of the program: the application supplies what each
// endpoint answers (AdminEndpoints); an endpoint left empty answers 404. The token is never
// written to a response, and the server logs nothing.
//
// Bounded (HttpListener): one event loop holds every connection and 4 threads serve only
// complete requests, so slow or idle clients cannot hold the process or delay /healthz; a
// request must arrive whole within 5 s and a response be taken within 5 s; keep-alive
// connections close after 2 s idle; at most 512 connections are open; request bodies over
// 4 KiB are refused (413); a malformed request gets one 400 and the connection closes.
//
// Thread-safety: Start and the destructor are for one owning thread; port() and address()
// may be called from any thread. The endpoint functions run on the server's threads,
// possibly several at once, so they must be thread-safe.
//
// Example:
//   AdminEndpoints endpoints;
//   endpoints.healthz = [] { return AdminResponse{200, "application/json", R"({"ok":true})"}; };
//   auto admin = AdminServer::Start("127.0.0.1:8080", token, std::move(endpoints));
//   if (!admin) { /* admin.error().message: "admin.addr 127.0.0.1:8080: address already in use" */
//   }
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "base/result.h"

namespace iiot {

class HttpListener;

// What an endpoint answers.
struct AdminResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// A request as an endpoint that reads it sees it.
struct AdminRequest {
  std::string_view method;  // "GET", "POST", "DELETE" (HEAD arrives as GET)
  std::string_view item;    // what follows the endpoint's path and a '/' ("" for none)
  std::string_view body;
};

// What the application answers on each endpoint. Each is called on a server thread,
// possibly concurrently with itself and the others; an exception becomes a 500 whose body
// carries what() (so it must not hold secrets).
struct AdminEndpoints {
  std::function<std::string()> metrics;    // Prometheus text format 0.0.4
  std::function<AdminResponse()> healthz;  // the app decides 200 or 503 and the body
  std::function<AdminResponse()> readyz;
  std::function<AdminResponse()> stats;        // JSON
  std::function<AdminResponse()> config;       // YAML, secrets already redacted
  std::function<AdminResponse()> reload;       // called only once the bearer token matched
  std::function<AdminResponse()> fatal_drill;  // the same
  // GET (no token), POST and DELETE (with the token) on /api/v1/incidents[/{id}].
  std::function<AdminResponse(const AdminRequest&)> incidents;
};

class AdminServer {
 public:
  // Binds `addr` ("host:port", "[v6]:port"; port 0 = any free port) and serves on its own
  // threads until destroyed. An empty `token` disables the POST endpoints (403). Fails,
  // naming the address and the reason, when it cannot listen:
  //   "admin.addr 127.0.0.1:8080: address already in use"
  static Result<std::unique_ptr<AdminServer>> Start(const std::string& addr, std::string token,
                                                    AdminEndpoints endpoints);
  // Stops accepting, ends open connections and joins the threads. Waits for endpoint
  // calls already running; otherwise prompt.
  ~AdminServer();

  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  int port() const { return port_; }  // the bound port
  std::string address() const;        // "127.0.0.1:43817", "[::1]:43817"

 private:
  struct Route {
    std::string_view path;
    std::string_view allow;  // the Allow header: "GET, HEAD" or "POST"
    bool needs_token;
    std::string_view action;  // needs_token: what a missing token disables ("reload")
    std::function<AdminResponse()> serve;
    // Instead of serve, for a collection: the request itself, at the path or below it
    // ("/path/item"); allow lists its methods, and every one but GET needs the token.
    std::function<AdminResponse(const AdminRequest&)> handle = nullptr;
  };

  // An answer as sent: the response, and headers the server adds (Allow on 405,
  // WWW-Authenticate on 401).
  struct Reply {
    AdminResponse response;
    std::vector<std::pair<std::string, std::string>> headers;
  };

  AdminServer(std::string host, std::string token, AdminEndpoints endpoints);
  // Routes every request `http` receives to Respond.
  void ServeOn(HttpListener& http) const;
  // The answer to one request. `authorization` is the Authorization header's value ("" when
  // absent).
  Reply Respond(std::string_view method, std::string_view path, std::string_view authorization,
                std::string_view body = {}) const;
  Reply Serve(const Route& route, std::string_view authorization,
              const AdminRequest& request) const;

  // Constant after construction.
  const std::string host_;
  const std::string token_;  // secret: never in a response, an error text or a log
  const std::vector<Route> routes_;
  int port_ = 0;  // set by Start before the server thread starts

  std::unique_ptr<HttpListener> listener_;
  std::thread serve_thread_;  // "iiot-admin": runs the listener's event loop
};

}  // namespace iiot
