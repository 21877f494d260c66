// The process exit codes every command returns (the run, validate-config, verify):
// 0 ok, 1 runtime failure or messages lost (or verify not clean), 2 bad usage or config.
// A Failure maps to kExitUsage when its config_error is set, else to kExitFailure.
#pragma once

namespace iiot {

enum ExitCode : int { kExitOk = 0, kExitFailure = 1, kExitUsage = 2 };

}  // namespace iiot
