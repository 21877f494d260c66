// text::Printable: every control byte escaped, everything else kept.
#include <gtest/gtest.h>

#include <string>

#include "base/text.h"

namespace iiot {
namespace {

TEST(Printable, EscapesEveryControlByte) {
  std::string all;
  for (int c = 0; c < 0x20; ++c) all += static_cast<char>(c);
  all += '\x7f';
  const std::string out = text::Printable(all);
  for (const char c : out) EXPECT_FALSE(text::IsControl(c)) << out;
  EXPECT_EQ(text::Printable("a\nb\tc\rd\x1b[31m\x07"), "a\\nb\\tc\\rd\\x1b[31m\\x07");
  EXPECT_EQ(text::Printable(std::string("a\0b", 3)), "a\\x00b");
}

TEST(Printable, KeepsQuotesBackslashesAndUtf8) {
  EXPECT_EQ(text::Printable(R"(say "x" \ y é ✓)"), R"(say "x" \ y é ✓)");
}

TEST(Printable, CanKeepLineEnds) {
  EXPECT_EQ(text::Printable("one\ntwo\x1b\n", /*keep_newlines=*/true), "one\ntwo\\x1b\n");
}

}  // namespace
}  // namespace iiot
