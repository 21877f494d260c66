// Reading the files the program is given (config, secrets, TLS material): one checked way
// that never blocks and never reads without bound. The file is opened with O_NONBLOCK (a
// FIFO, even one swapped in after any earlier check, cannot hold the open), checked on the
// open descriptor to be a regular file (not a pipe, socket, device or directory), and read
// up to a limit. Errors name the path and the cause. Free functions; thread-safe.
//
// Example:
//   Result<std::string> text = ReadRegularFile("/etc/iiot/config.yaml", 16 << 20);
//   if (!text) { /* text.error().message: "\"/etc/iiot/config.yaml\" is not a regular file
//                   (a pipe, socket or device)" */ }
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace iiot {

// The whole file, or why not; a file over max_bytes is an error saying the limit. `what`
// names the file in errors ("the config file": "cannot open the config file: No such file
// or directory"); empty: the quoted path.
Result<std::string> ReadRegularFile(const std::string& path, size_t max_bytes,
                                    std::string_view what = {});

// Opens the file as ReadRegularFile does and reads nothing: that it is a readable regular
// file (for files another library reads later, such as TLS certificates).
Result<void> CheckRegularFile(const std::string& path, std::string_view what = {});

}  // namespace iiot
