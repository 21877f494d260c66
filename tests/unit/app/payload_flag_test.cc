// --payload BYTES as a user runs it: every line of the stdout sink is exactly BYTES bytes,
// the count holds, and a bad value or a clash with the labels stream exits 2.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "../binary_run.h"

namespace {

using iiot::testing::BinaryResult;
using iiot::testing::RunBinary;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(PayloadFlag, StdoutLinesAreExactlyThatManyBytesAndTheCountHolds) {
  const BinaryResult r = RunBinary(
      "--sink stdout --format json --mode max --devices 100 --count 1000 --threads 2 "
      "--payload 333");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = Lines(r.out);
  ASSERT_EQ(lines.size(), 1000u);
  for (const std::string& line : lines) ASSERT_EQ(line.size(), 333u) << line;
  EXPECT_EQ(r.out.size(), 1000u * 334);  // nothing else on stdout
  EXPECT_NE(r.err.find("generation off"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("every message delivered"), std::string::npos) << r.err;
}

TEST(PayloadFlag, AboveTheRangeExitsTwoNamingFlagKeyAndRange) {
  const BinaryResult r = RunBinary("--sink stdout --count 1 --payload 1000001");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--payload"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("output.payload_bytes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("0..1000000"), std::string::npos) << r.err;
}

TEST(PayloadFlag, WithALabelsFileExitsTwo) {
  const BinaryResult r = RunBinary("--sink stdout --count 1 --payload 10",
                                   "IIOT_LABELS_FILE=/tmp/iiot_payload_labels.jsonl");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("labels.file"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("output.payload_bytes"), std::string::npos) << r.err;
}

}  // namespace
