// Running out of memory or threads: a clear line naming what could not be had and the
// setting that drives it, exit 1, never std::terminate (exit 134). The limits are set on
// the child alone with prlimit(1).
#include <gtest/gtest.h>

#include <string>

#include "../binary_run.h"

namespace {

using iiot::testing::RunBinary;

TEST(ResourceLimits, AFleetTooLargeForTheAddressSpaceIsRefusedUpFront) {
  const auto r =
      RunBinary("--sink stdout --mode max --devices 1000000 --count 10", "prlimit --as=200000000");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("1000000 devices (fleet.devices, --devices"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the address-space limit (ulimit -v) leaves"), std::string::npos) << r.err;
}

TEST(ResourceLimits, ThreadsThatCannotBeStartedAreAnErrorInEveryMode) {
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
