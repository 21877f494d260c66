#include "admin/bearer_token.h"

#include <gtest/gtest.h>

#include <string>

namespace iiot {
namespace {

using namespace std::string_literals;

TEST(ConstantTimeEquals, SameBytesAreEqual) {
  EXPECT_TRUE(ConstantTimeEquals("s3cr3t-token", "s3cr3t-token"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("a\0b"s, "a\0b"s));
  EXPECT_TRUE(ConstantTimeEquals("\xff\x80"s, "\xff\x80"s));
}

TEST(ConstantTimeEquals, ADifferenceAnywhereMakesThemUnequal) {
  EXPECT_FALSE(ConstantTimeEquals("xbcdef", "abcdef"));  // first byte
  EXPECT_FALSE(ConstantTimeEquals("abcxef", "abcdef"));  // middle
  EXPECT_FALSE(ConstantTimeEquals("abcdex", "abcdef"));  // last byte
  EXPECT_FALSE(ConstantTimeEquals("a\0c"s, "a\0b"s));    // after a NUL
  EXPECT_FALSE(ConstantTimeEquals("\x80"s, "\x00"s));    // high bit only
  EXPECT_FALSE(ConstantTimeEquals("\x01"s, "\x00"s));    // low bit only
}

TEST(ConstantTimeEquals, ALengthDifferenceMakesThemUnequal) {
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));  // a prefix of the other
  EXPECT_FALSE(ConstantTimeEquals("abcd", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_FALSE(ConstantTimeEquals("a", ""));
  // The shorter string's missing bytes do not compare equal to NUL bytes.
  EXPECT_FALSE(ConstantTimeEquals("abc", "abc\0"s));
  EXPECT_FALSE(ConstantTimeEquals("", "\0\0"s));
  // Lengths that differ by a multiple of 256 (no truncation of the length difference).
  EXPECT_FALSE(ConstantTimeEquals(std::string(256, 'a'), std::string(512, 'a')));
}

TEST(BearerToken, TakesTheTokenAfterTheScheme) {
  EXPECT_EQ(BearerToken("Bearer abc.DEF-123_~+/="), "abc.DEF-123_~+/=");
  EXPECT_EQ(BearerToken("bearer abc"), "abc");  // the scheme is case-insensitive
  EXPECT_EQ(BearerToken("BEARER abc"), "abc");
  EXPECT_EQ(BearerToken("  Bearer   abc  "), "abc");
  EXPECT_EQ(BearerToken("Bearer\tabc"), "abc");
}

TEST(BearerToken, RejectsOtherSchemesAndMalformedValues) {
  EXPECT_EQ(BearerToken(""), std::nullopt);
  EXPECT_EQ(BearerToken("abc"), std::nullopt);
  EXPECT_EQ(BearerToken("Basic YWRtaW46cGFzcw=="), std::nullopt);
  EXPECT_EQ(BearerToken("Bearer"), std::nullopt);
  EXPECT_EQ(BearerToken("Bearer   "), std::nullopt);
  EXPECT_EQ(BearerToken("Bearerabc"), std::nullopt);
  EXPECT_EQ(BearerToken("Bearer a b"), std::nullopt);
  EXPECT_EQ(BearerToken("Bearer ab\x01"), std::nullopt);
}

TEST(CheckBearerToken, JudgesTheHeaderAgainstTheConfiguredToken) {
  EXPECT_EQ(CheckBearerToken("t0ken", "Bearer t0ken"), TokenCheck::kOk);
  EXPECT_EQ(CheckBearerToken("t0ken", "Bearer t0kem"), TokenCheck::kWrongToken);
  EXPECT_EQ(CheckBearerToken("t0ken", "Bearer t0ke"), TokenCheck::kWrongToken);
  EXPECT_EQ(CheckBearerToken("t0ken", "Bearer t0ken2"), TokenCheck::kWrongToken);
  EXPECT_EQ(CheckBearerToken("t0ken", ""), TokenCheck::kMissingOrMalformed);
  EXPECT_EQ(CheckBearerToken("t0ken", "t0ken"), TokenCheck::kMissingOrMalformed);
  EXPECT_EQ(CheckBearerToken("t0ken", "Basic t0ken"), TokenCheck::kMissingOrMalformed);
}

TEST(CheckBearerToken, AnEmptyConfiguredTokenDisablesTheEndpoint) {
  EXPECT_EQ(CheckBearerToken("", "Bearer anything"), TokenCheck::kNotConfigured);
  EXPECT_EQ(CheckBearerToken("", ""), TokenCheck::kNotConfigured);
}

}  // namespace
}  // namespace iiot
