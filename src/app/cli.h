// The command line: `iiot-producer [flags]` runs the simulator, `iiot-producer
// validate-config FILE` checks a config file, `iiot-producer verify` reads a topic back
// and checks it (verify/verify_command.h). Returns the process exit code:
// 0 ok, 1 runtime failure or messages lost, 2 bad usage or config.
#pragma once

namespace iiot {

enum ExitCode : int { kExitOk = 0, kExitFailure = 1, kExitUsage = 2 };

int RunCli(int argc, char** argv);

}  // namespace iiot
