// The command line: `iiot-producer [flags]` runs the simulator, `iiot-producer
// validate-config FILE` checks a config file, `iiot-producer verify` reads a topic back
// and checks it (verify/verify_cli.h), `iiot-producer healthcheck` asks a running
// instance's /healthz (health_check.h). Returns the process exit code (base/exit_code.h):
// 0 ok, 1 runtime failure or messages lost, 2 bad usage or config.
#pragma once

namespace iiot {

int RunCli(int argc, char** argv);

}  // namespace iiot
