// Running the built iiot-producer binary from a test, as a user would from a shell:
// stdout and stderr captured, exit code returned. IIOT_CONFIG and IIOT_KAFKA_BROKERS
// from the test's own environment are removed so they cannot change the outcome, and the
// admin server binds any free port (tests run in parallel).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace iiot::testing {

struct BinaryResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// The whole content of the file at `path`, which is then removed (a captured stderr).
inline std::string TakeFile(const std::string& path) {
  std::stringstream ss;
  {
    std::ifstream in(path);
    ss << in.rdbuf();
  }
  std::filesystem::remove(path);
  return ss.str();
}

// Runs the binary with `args` (shell syntax) and an optional environment prefix
// ("IIOT_RUN_MODE=fastest").
inline BinaryResult RunBinary(const std::string& args, const std::string& env = "") {
  const std::string err_file =
      std::filesystem::temp_directory_path() / ("iiot_binary_err_" + std::to_string(::getpid()));
  const std::string cmd = "env -u IIOT_CONFIG -u IIOT_KAFKA_BROKERS IIOT_ADMIN_ADDR=127.0.0.1:0 " +
                          env + " " + IIOT_PRODUCER_BIN + " " + args + " 2>" + err_file;
  BinaryResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = TakeFile(err_file);
  return r;
}

}  // namespace iiot::testing
