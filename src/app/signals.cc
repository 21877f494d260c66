#include "app/signals.h"

#include <spdlog/spdlog.h>

#include <array>
#include <cstdint>
#include <ctime>

namespace iiot {

namespace {

constexpr std::array kStop = {SIGINT, SIGTERM, SIGQUIT, SIGXCPU, SIGPWR};
constexpr std::array kIgnored = {SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGIO, SIGSTKFLT};

template <size_t N>
bool In(const std::array<int, N>& set, int sig) {
  for (int s : set) {
    if (s == sig) return true;
  }
  return false;
}

}  // namespace

RunSignals::RunSignals() {
  sigemptyset(&set_);
  for (int sig : kStop) sigaddset(&set_, sig);
  for (int sig : kIgnored) sigaddset(&set_, sig);
  sigaddset(&set_, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGXFSZ, SIG_IGN);
}

int RunSignals::Wait(std::chrono::milliseconds timeout, const std::function<void()>& on_reload) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return 0;
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(left.count() / 1000);
    ts.tv_nsec = static_cast<long>((left.count() % 1000) * 1'000'000);
    const int sig = sigtimedwait(&set_, nullptr, &ts);
    if (sig <= 0) return 0;
    if (In(kStop, sig)) return sig;
    if (sig == SIGHUP) {
      if (on_reload) {
        on_reload();
      } else {
        spdlog::info("SIGHUP received: no config reload at this stage, ignored");
      }
      continue;
    }
    if ((ignored_seen_ & (uint64_t{1} << sig)) == 0) {
      ignored_seen_ |= uint64_t{1} << sig;
      spdlog::info("{} received: ignored (SIGINT or SIGTERM stops the run, SIGHUP reloads)",
                   Name(sig));
    }
  }
}

const char* RunSignals::Name(int sig) {
  switch (sig) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    case SIGQUIT:
      return "SIGQUIT";
    case SIGXCPU:
      return "SIGXCPU";
    case SIGPWR:
      return "SIGPWR";
    case SIGHUP:
      return "SIGHUP";
    case SIGUSR1:
      return "SIGUSR1";
    case SIGUSR2:
      return "SIGUSR2";
    case SIGALRM:
      return "SIGALRM";
    case SIGVTALRM:
      return "SIGVTALRM";
    case SIGPROF:
      return "SIGPROF";
    case SIGIO:
      return "SIGIO";
    case SIGSTKFLT:
      return "SIGSTKFLT";
  }
  return "a signal";
}

}  // namespace iiot
