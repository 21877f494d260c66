// Signals of a run, taken synchronously by the main loop. Every catchable signal that would
// otherwise end the process is blocked in all threads (so block them before any thread
// starts) and received by Wait:
//   stop     SIGINT, SIGTERM, SIGQUIT, SIGXCPU, SIGPWR: a graceful stop with the summary
//   reload   SIGHUP: the config file is read again (the reloader's path and rules)
//   ignored  SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGSTKFLT: logged once each
// SIGPIPE and SIGXFSZ are ignored outright: a closed pipe or a file over its size limit is a
// write error the sink counts. docs/operations.md lists them.
// Not thread-safe: one owner (the main thread) constructs it and calls Wait.
#pragma once

#include <signal.h>

#include <chrono>
#include <functional>

namespace iiot {

class RunSignals {
 public:
  // Blocks the signals above in the calling thread (and the threads it starts later).
  RunSignals();

  // Waits up to `timeout` for a signal. A reload signal calls on_reload and waits on; an
  // ignored one is logged and waited past. Returns the stop signal, or 0 on timeout.
  int Wait(std::chrono::milliseconds timeout, const std::function<void()>& on_reload);

  static const char* Name(int sig);  // "SIGTERM", ...

 private:
  sigset_t set_{};
  uint64_t ignored_seen_ = 0;  // bit per signal number already logged
};

}  // namespace iiot
