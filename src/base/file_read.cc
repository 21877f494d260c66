#include "base/file_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "base/text.h"

namespace iiot {

namespace {

std::string ErrnoText(int err) { return std::generic_category().message(err); }

// A descriptor closed when it goes out of scope.
class OpenFile {
 public:
  explicit OpenFile(const std::string& path)
      : fd_(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)), errno_(errno) {}
  ~OpenFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;

  int fd() const { return fd_; }
  int open_errno() const { return errno_; }

 private:
  int fd_;
  int errno_;
};

std::string Named(const std::string& path, std::string_view what) {
  return what.empty() ? text::Quote(path) : std::string(what);
}

// Checks the opened file is a regular file; the size in *size. `quoted`: its name in errors.
Result<void> Check(const std::string& quoted, const OpenFile& file, size_t* size) {
  if (file.fd() < 0) return Fail("cannot open " + quoted + ": " + ErrnoText(file.open_errno()));
  struct stat st {};
  if (::fstat(file.fd(), &st) != 0) return Fail("cannot read " + quoted + ": " + ErrnoText(errno));
  if (S_ISDIR(st.st_mode)) return Fail(quoted + " is a directory, not a file");
  if (!S_ISREG(st.st_mode)) {
    return Fail(quoted + " is not a regular file (a pipe, socket or device)");
  }
  *size = static_cast<size_t>(st.st_size);
  return {};
}

std::string Bytes(size_t n) {
  if (n % (1u << 20) == 0) return std::to_string(n >> 20) + " MiB";
  if (n % (1u << 10) == 0) return std::to_string(n >> 10) + " KiB";
  return std::to_string(n) + " bytes";
}

}  // namespace

Result<std::string> ReadRegularFile(const std::string& path, size_t max_bytes,
                                    std::string_view what) {
  const OpenFile file(path);
  const std::string name = Named(path, what);
  size_t size = 0;
  if (Result<void> opened = Check(name, file, &size); !opened) return opened.error();
  const std::string too_large = name + " is larger than " + Bytes(max_bytes);
  if (size > max_bytes) return Fail(too_large);
  std::string out;
  out.reserve(size);
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(file.fd(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Fail("cannot read " + name + ": " + ErrnoText(errno));
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
    if (out.size() > max_bytes) return Fail(too_large);  // it grew while being read
  }
  return out;
}

Result<void> CheckRegularFile(const std::string& path, std::string_view what) {
  const OpenFile file(path);
  size_t size = 0;
  return Check(Named(path, what), file, &size);
}

}  // namespace iiot
