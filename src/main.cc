#include <cstdio>
#include <new>
#include <system_error>

#include "app/cli.h"
#include "base/exit_code.h"
#include "base/text.h"

// What escapes the program's own handling ends in one line and exit 1, never in
// std::terminate: running out of memory or of threads while setting a run up.
int main(int argc, char** argv) {
  try {
    return iiot::RunCli(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs(
        "iiot-producer: out of memory setting up the run (fewer devices per instance: "
        "fleet.devices, --devices, --shard, --slice; or raise the memory limit)\n",
        stderr);
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "iiot-producer: %s (%s)\n", iiot::text::Printable(e.what()).c_str(),
                 e.code().message().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "iiot-producer: %s\n", iiot::text::Printable(e.what()).c_str());
  }
  return iiot::kExitFailure;
}
