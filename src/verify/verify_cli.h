// The command line of `iiot-producer verify`: its flags (added to the program's CLI::App
// as the `verify` subcommand) and the run that turns them into a VerifyTopic call, a
// printed report and an exit code. The config is loaded as for a run (-c or IIOT_CONFIG,
// IIOT_*, flags), so kafka.properties and the security keys apply to the reader too.
//
// Not thread-safe: called on the main thread, AddVerifyCommand before CLI::App::parse and
// RunVerify after it.
//
// Example:
//   CLI::App app{"iiot-producer"};
//   VerifyFlags verify_flags;
//   CLI::App* verify = AddVerifyCommand(app, verify_flags);
//   app.parse(argc, argv);
//   if (verify->parsed()) return RunVerify(*verify, verify_flags);
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace CLI {
class App;
}  // namespace CLI

namespace iiot {

// What the `verify` flags are parsed into. Filled by CLI::App::parse; it must outlive the
// parse and the run (the App holds references into it).
struct VerifyFlags {
  std::string config_file;
  std::vector<std::string> values;  // one per key flag (--brokers, --topic, --format, ...)
  uint64_t expect_devices = 0;
  uint64_t expect_per_device = 0;
  std::string timeout = "30s";
  bool json = false;
};

// Adds the `verify` subcommand to `app`, its options writing into `flags`, and returns it
// (owned by `app`).
CLI::App* AddVerifyCommand(CLI::App& app, VerifyFlags& flags);

// Runs the parsed `verify` subcommand: the report on stdout (table or JSON), client logs
// and errors on stderr. Returns the exit code (base/exit_code.h): 0 clean and as expected,
// 1 not clean, not as expected or a broker/topic error, 2 bad usage or config (also for a
// flag of the run given before `verify`, which would otherwise be ignored).
int RunVerify(const CLI::App& verify, const VerifyFlags& flags);

}  // namespace iiot
