// What `verify` does with malformed message values, case by case: truncated JSON, wrong
// types, huge numbers, invalid UTF-8, empty and null values, random bytes, Protobuf with
// bad varints and bad lengths. Each is counted as unparsable with its partition and
// offset, never crashes, and both renderings of the report still work. Then the decoder
// fuzzer's corpus (tests/fuzz/corpus/decoder/) through the same path.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "verify/verify_command.h"
#include "verify/verify_report.h"
#include "verify_test_messages.h"

namespace iiot {
namespace {

using verifytest::JsonValue;
using verifytest::ProtoValue;

struct Malformed {
  const char* name;
  std::string value;
};

// A valid message with `from` replaced by `to` (once).
std::string JsonWith(const std::string& from, const std::string& to) {
  std::string text = JsonValue("d", 7);
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (const int b : bytes) out += static_cast<char>(b);
  return out;
}

std::vector<Malformed> JsonCases() {
  const std::string valid = JsonValue("d", 7);
  return {
      {"empty", ""},
      {"whitespace", " \n\t "},
      {"truncated", valid.substr(0, valid.size() / 2)},
      {"truncated by one", valid.substr(0, valid.size() - 1)},
      {"trailing garbage", valid + "x"},
      {"two messages in one", valid + "\n" + valid},
      {"top level array", "[" + valid + "]"},
      {"top level string", "\"device\""},
      {"seq as a string", JsonWith("\"seq\":7", "\"seq\":\"7\"")},
      {"seq negative", JsonWith("\"seq\":7", "\"seq\":-7")},
      {"seq fraction", JsonWith("\"seq\":7", "\"seq\":7.5")},
      {"seq zero", JsonWith("\"seq\":7", "\"seq\":0")},
      {"seq 2^64", JsonWith("\"seq\":7", "\"seq\":18446744073709551616")},
      {"seq 1e400", JsonWith("\"seq\":7", "\"seq\":1e400")},
      {"floor 2^32", JsonWith("\"floor\":1", "\"floor\":4294967296")},
      {"floor as a string", JsonWith("\"floor\":1", "\"floor\":\"1\"")},
      {"device_id a number", JsonWith("\"device_id\":\"d\"", "\"device_id\":5")},
      {"device_id empty", JsonWith("\"device_id\":\"d\"", "\"device_id\":\"\"")},
      {"ts not a timestamp", JsonWith("2026-01-01T00:00:00.000Z", "yesterday")},
      {"ts day 32", JsonWith("2026-01-01T00:00:00.000Z", "2026-01-32T00:00:00.000Z")},
      {"readings a list", JsonWith("\"readings\":{", "\"readings\":[{") + "]"},
      {"value a string", JsonWith("\"value\":24.87", "\"value\":\"hot\"")},
      {"switch a number", JsonWith("\"value\":true", "\"value\":1")},
      {"unknown sensor", JsonWith("\"temperature\"", "\"temprature\"")},
      {"quality unknown", JsonWith("\"good\"", "\"fine\"")},
      {"anomaly a string", JsonWith("\"anomaly\":null", "\"anomaly\":\"spike\"")},
      {"anomaly kind unknown",
       JsonWith("\"anomaly\":null", "\"anomaly\":{\"kind\":\"boom\",\"sensor\":\"temperature\"}")},
      {"invalid UTF-8 in device_id", JsonWith("\"device_id\":\"d\"", "\"device_id\":\"\xff\xfe\"")},
      {"cut UTF-8 sequence", JsonWith("\"device_id\":\"d\"", "\"device_id\":\"\xc3\"")},
      {"NUL inside", JsonWith("\"seq\"", std::string("\"s\0q\"", 5))},
      {"deep nesting", std::string(100'000, '[') + std::string(100'000, ']')},
      {"random bytes", Bytes({0x00, 0xff, 0x7b, 0x22, 0x80, 0x0a, 0xc0, 0x3a})},
      {"protobuf instead", ProtoValue("d", 7)},
  };
}

std::vector<Malformed> ProtobufCases() {
  const std::string valid = ProtoValue("d", 7);
  return {
      {"empty", ""},
      {"truncated", valid.substr(0, valid.size() / 2)},
      {"truncated by one", valid.substr(0, valid.size() - 1)},
      // seq (field 2, varint) whose varint never ends, or runs past 10 bytes.
      {"unterminated varint", valid + Bytes({0x10, 0xff, 0xff})},
      {"varint of 11 bytes",
       Bytes({0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}) + valid},
      {"length past the end", Bytes({0x0a, 0x7f, 'd'}) + valid},
      {"length varint 2^32", Bytes({0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f}) + valid},
      {"field number 0", Bytes({0x00, 0x01}) + valid},
      {"unmatched end group", valid + Bytes({0x0c})},
      {"unterminated group", valid + Bytes({0x0b, 0x08, 0x01})},
      {"invalid wire type 7", valid + Bytes({0x0f, 0x01})},
      {"invalid UTF-8 in device_id", Bytes({0x0a, 0x02, 0xff, 0xfe}) + valid.substr(3)},
      {"device_id as a varint", Bytes({0x08, 0x01})},
      {"no location", Bytes({0x0a, 0x01, 'd', 0x10, 0x07})},
      {"negative floor", valid + Bytes({0x2a, 0x0b, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                        0xff, 0xff, 0x01})},
      {"random bytes", Bytes({0xde, 0xad, 0xbe, 0xef, 0x00, 0x80, 0x80})},
      {"json instead", JsonValue("d", 7)},
  };
}

// Every case on its own partition and offset, between valid messages.
void ExpectEachUnparsable(Format format, const std::vector<Malformed>& cases) {
  VerifyOptions o;
  o.format = format;
  o.unparsable_listed = cases.size();
  TopicCheck check(o);
  const auto valid = [&](uint64_t seq) {
    return format == Format::kJson ? JsonValue("d", seq) : ProtoValue("d", seq);
  };
  check.Add(0, 0, "d", valid(1));
  for (size_t i = 0; i < cases.size(); ++i) {
    DecodedReading m;
    std::string error;
    EXPECT_FALSE(Decode(format, cases[i].value, &m, &error)) << cases[i].name;
    EXPECT_FALSE(error.empty()) << cases[i].name;
    check.Add(static_cast<int32_t>(i % 7), static_cast<int64_t>(1000 + i), "d", cases[i].value);
  }
  check.Add(0, 1, "d", valid(2));

  VerifyReport r = check.Report();
  Judge(&r);
  EXPECT_EQ(r.messages, cases.size() + 2);
  EXPECT_EQ(r.unparsable, cases.size());
  EXPECT_EQ(r.totals.messages, 2u);
  EXPECT_EQ(r.totals.gaps, 0u);
  EXPECT_FALSE(r.clean);
  ASSERT_EQ(r.unparsable_examples.size(), cases.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    const UnparsableExample& e = r.unparsable_examples[i];
    EXPECT_EQ(e.partition, static_cast<int32_t>(i % 7)) << cases[i].name;
    EXPECT_EQ(e.offset, static_cast<int64_t>(1000 + i)) << cases[i].name;
    EXPECT_FALSE(e.error.empty()) << cases[i].name;
  }
  const nlohmann::json j = nlohmann::json::parse(RenderJson(r));  // valid even for bad UTF-8
  EXPECT_EQ(j["unparsable_examples"].size(), cases.size());
  EXPECT_NE(RenderTable(r).find("unparsable"), std::string::npos);
}

TEST(MalformedMessages, JsonEachIsUnparsableWithItsPartitionAndOffset) {
  ExpectEachUnparsable(Format::kJson, JsonCases());
}

TEST(MalformedMessages, ProtobufEachIsUnparsableWithItsPartitionAndOffset) {
  ExpectEachUnparsable(Format::kProtobuf, ProtobufCases());
}

// Values no producer writes but that are not malformed: extreme yet well-typed numbers.
TEST(MalformedMessages, ExtremeButWellTypedNumbersAreCounted) {
  VerifyOptions o;
  TopicCheck check(o);
  check.Add(0, 0, "d", JsonWith("\"seq\":7", "\"seq\":18446744073709551615"));
  check.Add(0, 1, "d", JsonWith("\"value\":24.87", "\"value\":-1.7976931348623157e308"));
  check.Add(0, 2, "d", JsonWith("\"floor\":1", "\"floor\":4294967295"));
  const VerifyReport r = check.Report();
  EXPECT_EQ(r.unparsable, 0u);
  EXPECT_EQ(r.totals.messages, 3u);
}

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The decoder fuzzer's corpus, and any crash reproducer added to it: never a crash, and
// every message is either counted as parsed or as unparsable.
TEST(MalformedMessages, DecoderFuzzCorpusNeverCrashes) {
  size_t files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(IIOT_SOURCE_DIR "/tests/fuzz/corpus/decoder")) {
    ++files;
    const std::string bytes = Read(entry.path());
    for (const Format format : {Format::kJson, Format::kProtobuf}) {
      VerifyOptions o;
      o.format = format;
      TopicCheck check(o);
      check.Add(0, 0, {}, bytes);
      std::string_view stream = bytes, message;
      int64_t offset = 1;
      while (NextFrame(format, &stream, &message) == FrameStatus::kMessage) {
        check.Add(1, offset++, {}, message);
      }
      VerifyReport r = check.Report();
      Judge(&r);
      EXPECT_EQ(r.unparsable + r.totals.messages, r.messages) << entry.path();
      EXPECT_TRUE(nlohmann::json::accept(RenderJson(r))) << entry.path();
    }
  }
  EXPECT_GE(files, 10u);
}

}  // namespace
}  // namespace iiot
