#include "app/health_check.h"

#include <httplib.h>

#include <cstdio>
#include <string>

#include "base/exit_code.h"
#include "base/host_port.h"

namespace iiot {

int RunHealthCheck(const Config& cfg) {
  const std::string& addr = cfg.admin.addr;
  if (addr == "off") {
    std::fprintf(stderr, "iiot-producer healthcheck: admin.addr is off: no server to ask\n");
    return kExitUsage;
  }
  std::optional<HostPort> hp = ParseHostPort(addr);
  if (!hp) {  // the config loader has checked it already; kept for safety
    std::fprintf(stderr, "iiot-producer healthcheck: admin.addr \"%s\" is not host:port\n",
                 addr.c_str());
    return kExitUsage;
  }
  if (hp->port == 0) {
    std::fprintf(stderr,
                 "iiot-producer healthcheck: admin.addr %s asks for any free port: give the "
                 "port the instance logged (--admin-addr host:port)\n",
                 addr.c_str());
    return kExitUsage;
  }
  if (hp->host == "0.0.0.0") hp->host = "127.0.0.1";
  if (hp->host == "::") hp->host = "::1";
  httplib::Client client(hp->host, hp->port);
  client.set_connection_timeout(1);
  client.set_read_timeout(2);
  const httplib::Result res = client.Get("/healthz");
  const std::string where =
      (hp->host.find(':') != std::string::npos ? "[" + hp->host + "]" : hp->host) + ":" +
      std::to_string(hp->port);
  if (!res) {
    std::fprintf(stderr, "iiot-producer healthcheck: no answer from http://%s/healthz: %s\n",
                 where.c_str(), httplib::to_string(res.error()).c_str());
    return kExitFailure;
  }
  if (res->status != 200) {
    std::fprintf(stderr, "iiot-producer healthcheck: http://%s/healthz answered %d\n",
                 where.c_str(), res->status);
    return kExitFailure;
  }
  std::printf("healthy: http://%s/healthz answered 200\n", where.c_str());
  return kExitOk;
}

}  // namespace iiot
