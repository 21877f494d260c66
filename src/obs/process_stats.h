// ProcessStats: this process's CPU time, memory, threads, file descriptors and start time,
// as Linux reports them in /proc/self/stat, /proc/self/statm, /proc/self/fd and /proc/stat
// and getrlimit. Read once a second for the standard process_* metrics.
//
// Example:
//   if (std::optional<ProcessStats> p = ReadProcessStats()) cpu_gauge.Set(p->cpu_seconds);
#pragma once

#include <cstdint>
#include <optional>

namespace iiot {

struct ProcessStats {
  double cpu_seconds = 0;       // user + system CPU time (utime + stime)
  uint64_t resident_bytes = 0;  // resident set size
  uint64_t virtual_bytes = 0;   // virtual memory size
  uint64_t threads = 0;
  uint64_t open_fds = 0;    // entries of /proc/self/fd
  double max_fds = 0;       // the soft RLIMIT_NOFILE (+inf when unlimited)
  double start_time_s = 0;  // Unix time the process started (boot time + starttime)
};

// Reads the current values. Thread-safe (reads files only). nullopt when /proc is not
// there or a file does not parse; never throws.
std::optional<ProcessStats> ReadProcessStats();

}  // namespace iiot
