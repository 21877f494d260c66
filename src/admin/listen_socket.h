// Listen: a non-blocking TCP socket listening on host:port with the system's largest
// backlog (SOMAXCONN), SO_REUSEADDR and not SO_REUSEPORT (which would let a second process
// bind the port and share its connections).
//
// A function of its arguments and the system: thread-safe.
#pragma once

#include <string>

#include "base/result.h"

namespace iiot {

struct ListeningSocket {
  int fd = -1;   // owned by the caller
  int port = 0;  // as bound: the free port chosen for port 0
};

// Port 0: any free port. Fails with words that read well after "admin.addr host:port: "
// ("address already in use", "cannot resolve \"x\": ...").
Result<ListeningSocket> Listen(const std::string& host, int port);

}  // namespace iiot
