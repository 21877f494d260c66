#include "obs/process_stats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

namespace iiot {

namespace {

bool ReadFile(const char* path, std::string* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return !out->empty();
}

// Seconds since the epoch at boot ("btime" in /proc/stat), 0 if unknown.
uint64_t BootTime() {
  std::ifstream in("/proc/stat");
  for (std::string line; std::getline(in, line);) {
    unsigned long long btime = 0;
    if (std::sscanf(line.c_str(), "btime %llu", &btime) == 1) return btime;
  }
  return 0;
}

// Open file descriptors: the entries of /proc/self/fd (the directory's own, opened to
// list it, counted out). 0 if it cannot be listed.
uint64_t OpenFds() {
  std::error_code ec;
  std::filesystem::directory_iterator it("/proc/self/fd", ec);
  if (ec) return 0;
  uint64_t n = 0;
  for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
    if (ec) return 0;
    ++n;
  }
  return n > 0 ? n - 1 : 0;
}

double MaxFds() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur == RLIM_INFINITY) return std::numeric_limits<double>::infinity();
  return static_cast<double>(limit.rlim_cur);
}

}  // namespace

std::optional<ProcessStats> ReadProcessStats() {
  try {
    std::string stat;
    std::string statm;
    if (!ReadFile("/proc/self/stat", &stat) || !ReadFile("/proc/self/statm", &statm)) {
      return std::nullopt;
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so the fields
    // are counted from the last ')'. After it come fields 3 (state), 4, ... of proc(5).
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos) return std::nullopt;
    std::istringstream fields(stat.substr(paren + 1));
    std::string field;
    unsigned long long utime = 0, stime = 0, threads = 0, starttime = 0;
    for (int n = 3; n <= 22 && fields >> field; ++n) {
      if (n == 14) utime = std::stoull(field);
      if (n == 15) stime = std::stoull(field);
      if (n == 20) threads = std::stoull(field);
      if (n == 22) starttime = std::stoull(field);
    }
    if (!fields) return std::nullopt;

    unsigned long long size_pages = 0, resident_pages = 0;
    if (std::sscanf(statm.c_str(), "%llu %llu", &size_pages, &resident_pages) != 2) {
      return std::nullopt;
    }
    const long ticks = sysconf(_SC_CLK_TCK);
    const long page = sysconf(_SC_PAGESIZE);
    if (ticks <= 0 || page <= 0) return std::nullopt;
    const double tick_s = 1.0 / static_cast<double>(ticks);

    ProcessStats p;
    p.cpu_seconds = static_cast<double>(utime + stime) * tick_s;
    p.resident_bytes = resident_pages * static_cast<uint64_t>(page);
    p.virtual_bytes = size_pages * static_cast<uint64_t>(page);
    p.open_fds = OpenFds();
    p.max_fds = MaxFds();
    p.threads = threads;
    p.start_time_s = static_cast<double>(BootTime()) + static_cast<double>(starttime) * tick_s;
    return p;
  } catch (...) {  // stoull on a field that is not a number
    return std::nullopt;
  }
}

}  // namespace iiot
