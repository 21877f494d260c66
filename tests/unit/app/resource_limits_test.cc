// Running out of memory or threads: a clear line naming what could not be had and the
// setting that drives it, exit 1, never std::terminate (exit 134). The limits are set on
// the child alone with prlimit(1).
#include <gtest/gtest.h>

#include <string>

#include "../binary_run.h"

namespace {

using iiot::testing::RunBinary;

// The sanitizers' runtime needs terabytes of address space (ASan's shadow memory) and file
// descriptors of its own (UBSan reads /proc/self/maps): under these limits it fails before
// or beside the program, so the tests only mean something in a plain build.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#define SKIP_WHEN_SANITIZED() \
  if (kSanitized) GTEST_SKIP() << "resource limits and sanitizers do not mix"

TEST(ResourceLimits, AFleetTooLargeForTheAddressSpaceIsRefusedUpFront) {
  SKIP_WHEN_SANITIZED();
  const auto r =
      RunBinary("--sink stdout --mode max --devices 1000000 --count 10", "prlimit --as=200000000");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("1000000 devices (fleet.devices, --devices"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the address-space limit (ulimit -v) leaves"), std::string::npos) << r.err;
}

TEST(ResourceLimits, ThreadsThatCannotBeStartedAreAnErrorInEveryMode) {
  SKIP_WHEN_SANITIZED();
  for (const char* mode : {"max", "realtime", "rate --rate 1000"}) {
    const auto r = RunBinary(std::string("--sink stdout --devices 1000 --count 10 --threads 64 "
                                         "--mode ") +
                                 mode,
                             "prlimit --as=300000000 timeout 20");
    EXPECT_EQ(r.exit_code, 1) << mode << "\n" << r.err;
    EXPECT_NE(r.err.find("cannot start worker thread"), std::string::npos) << mode << r.err;
    EXPECT_NE(r.err.find("(run.threads)"), std::string::npos) << r.err;
  }
}

}  // namespace

namespace {

TEST(ResourceLimits, OutOfFileDescriptorsLogsAFewLinesAndNamesTheCause) {
  SKIP_WHEN_SANITIZED();
  const auto r =
      RunBinary("--mode max --devices 100 --count 100000 -q", "prlimit --nofile=20 timeout 20");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  size_t lines = 0;
  for (char c : r.err) lines += c == '\n';
  EXPECT_LT(lines, 40u) << r.err.substr(0, 3000);
  EXPECT_NE(r.err.find("Too many open files"), std::string::npos) << r.err.substr(0, 3000);
  EXPECT_EQ(r.err.find("choose another"), std::string::npos) << r.err.substr(0, 3000);
}

}  // namespace
