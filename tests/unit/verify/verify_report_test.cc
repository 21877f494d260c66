// TopicCheck and the report without Kafka: messages fed by hand, the verdict, and both
// renderings.
#include "verify/verify_report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "verify/verify_command.h"
#include "verify_test_messages.h"

namespace iiot {
namespace {

using verifytest::JsonValue;
using verifytest::ProtoValue;

VerifyReport Judged(const TopicCheck& check) {
  VerifyReport r = check.Report();
  r.seconds = 0.5;
  Judge(&r);
  return r;
}

// Three devices: "a" clean (1..4), "b" with a gap and a duplicate, "c" with a reordered
// pair; plus one unparsable message and one key mismatch.
TopicCheck MixedCheck(const VerifyOptions& o) {
  TopicCheck check(o);
  int64_t offset = 0;
  for (const uint64_t q : {1, 2, 3, 4}) check.Add(0, offset++, "a", JsonValue("a", q));
  for (const uint64_t q : {1, 2, 2, 5}) check.Add(1, offset++, "b", JsonValue("b", q));
  for (const uint64_t q : {1, 3, 2}) check.Add(2, offset++, "c", JsonValue("c", q));
  check.Add(2, offset++, "other", JsonValue("c", 4));
  check.Add(1, 99, "b", "{not json");
  return check;
}

TEST(VerifyReport, JsonHasEveryField) {
  VerifyOptions o;
  o.kafka.brokers = {"127.0.0.1:9092"};
  o.kafka.topic = "plant";
  o.expect = {3, 4};
  const VerifyReport r = Judged(MixedCheck(o));
  const std::string text = RenderJson(r);
  ASSERT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1);  // one line
  const auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["clean"], false);
  EXPECT_EQ(j["error"], nullptr);
  EXPECT_EQ(j["topic"], "plant");
  EXPECT_EQ(j["brokers"], "127.0.0.1:9092");
  EXPECT_EQ(j["format"], "json");
  const auto& t = j["totals"];
  EXPECT_EQ(t["messages"], 13);
  EXPECT_EQ(t["devices"], 3);
  EXPECT_EQ(t["gaps"], 2);
  EXPECT_EQ(t["duplicates"], 1);
  EXPECT_EQ(t["out_of_order"], 1);
  EXPECT_EQ(t["multi_partition_devices"], 0);
  EXPECT_EQ(t["unparsable"], 1);
  EXPECT_EQ(t["key_mismatches"], 1);
  EXPECT_EQ(t["devices_with_problems"], 2);
  EXPECT_EQ(j["expectations"]["devices"], 3);
  EXPECT_EQ(j["expectations"]["per_device"], 4);
  EXPECT_EQ(j["expectations"]["devices_not_matching"], 1);
  ASSERT_EQ(j["partitions"].size(), 3u);
  EXPECT_EQ(j["partitions"][1]["partition"], 1);
  EXPECT_EQ(j["partitions"][1]["messages"], 5);
  EXPECT_TRUE(j["partitions"][1].contains("start_offset"));
  EXPECT_TRUE(j["partitions"][1].contains("end_offset"));
  EXPECT_EQ(j["seconds"], 0.5);
  EXPECT_EQ(j["messages_per_second"], 26.0);
  ASSERT_EQ(j["unparsable_examples"].size(), 1u);
  EXPECT_EQ(j["unparsable_examples"][0]["partition"], 1);
  EXPECT_EQ(j["unparsable_examples"][0]["offset"], 99);
  EXPECT_TRUE(j["unparsable_examples"][0]["error"].get<std::string>().starts_with("not JSON"));
  ASSERT_EQ(j["devices"].size(), 2u);
  const auto& b = j["devices"][0];
  EXPECT_EQ(b["device_id"], "b");
  EXPECT_EQ(b["messages"], 4);
  EXPECT_EQ(b["unique"], 3);
  EXPECT_EQ(b["max_seq"], 5);
  EXPECT_EQ(b["gaps"], 2);
  EXPECT_EQ(b["missing"], nlohmann::json::parse("[[3,4]]"));
  EXPECT_EQ(b["duplicates"], 1);
  EXPECT_EQ(b["out_of_order"], 0);
  EXPECT_EQ(b["key_mismatches"], 0);
  EXPECT_EQ(b["partitions"], nlohmann::json::parse("[1]"));
  EXPECT_EQ(b["matches_expected"], false);
  EXPECT_EQ(j["devices"][1]["device_id"], "c");
  EXPECT_EQ(j["devices"][1]["matches_expected"], true);  // out of order, but 1..4 once each
  EXPECT_EQ(j["devices_omitted"], 0);
  EXPECT_EQ(j["reasons"].size(), 6u);
}

TEST(VerifyReport, CleanJsonHasNullExpectationsAndNoDevices) {
  VerifyOptions o;
  TopicCheck check(o);
  for (uint64_t q = 1; q <= 3; ++q) check.Add(0, static_cast<int64_t>(q), "a", JsonValue("a", q));
  const auto j = nlohmann::json::parse(RenderJson(Judged(check)));
  EXPECT_EQ(j["clean"], true);
  EXPECT_EQ(j["reasons"], nlohmann::json::array());
  EXPECT_EQ(j["expectations"]["devices"], nullptr);
  EXPECT_EQ(j["expectations"]["per_device"], nullptr);
  EXPECT_EQ(j["devices"], nlohmann::json::array());
}

TEST(VerifyReport, TableEndsWithTheVerdictAndNamesTheWorst) {
  VerifyOptions o;
  o.kafka.brokers = {"127.0.0.1:9092"};
  o.kafka.topic = "plant";
  const std::string table = RenderTable(Judged(MixedCheck(o)));
  EXPECT_NE(table.find("verify: topic plant on 127.0.0.1:9092, format json"), std::string::npos);
  EXPECT_NE(table.find("worst devices (2 of 2 with problems)"), std::string::npos) << table;
  EXPECT_NE(table.find("3..4"), std::string::npos) << table;
  EXPECT_NE(table.find("partition 1 offset 99: not JSON"), std::string::npos) << table;
  const std::string last = table.substr(table.rfind("verify:"));
  EXPECT_EQ(last,
            "verify: NOT CLEAN (2 missing seqs (gaps); 1 duplicate; 1 out of order; "
            "1 unparsable message; 1 key mismatch)\n");
}

TEST(VerifyReport, ListedDevicesAreBounded) {
  VerifyOptions o;
  o.devices_listed = 3;
  TopicCheck check(o);
  for (int d = 0; d < 10; ++d) {
    const std::string id = "d" + std::to_string(d);
    check.Add(0, d, id, JsonValue(id, 2));  // each misses seq 1
  }
  const VerifyReport r = Judged(check);
  EXPECT_EQ(r.worst.size(), 3u);
  const auto j = nlohmann::json::parse(RenderJson(r));
  EXPECT_EQ(j["devices"].size(), 3u);
  EXPECT_EQ(j["devices_omitted"], 7);
  EXPECT_EQ(j["totals"]["devices_with_problems"], 10);
}

TEST(VerifyReport, ReadErrorIsNotClean) {
  VerifyOptions o;
  VerifyReport r = TopicCheck(o).Report();
  r.error = "no broker reachable at 127.0.0.1:1 within 1 s";
  Judge(&r);
  EXPECT_FALSE(r.clean);
  EXPECT_EQ(
      r.reasons,
      (std::vector<std::string>{"read failed: no broker reachable at 127.0.0.1:1 within 1 s"}));
  EXPECT_EQ(nlohmann::json::parse(RenderJson(r))["error"], r.error);
}

TEST(TopicCheck, MalformedBytesNeverCrashAndAreCounted) {
  for (const Format format : {Format::kJson, Format::kProtobuf}) {
    VerifyOptions o;
    o.format = format;
    TopicCheck check(o);
    const std::string valid = format == Format::kJson ? JsonValue("d", 1) : ProtoValue("d", 1);
    uint64_t sent = 0;
    // Every truncation of a valid message, then random bytes of random lengths.
    for (size_t n = 0; n <= valid.size(); ++n, ++sent) check.Add(0, 0, "d", valid.substr(0, n));
    std::mt19937_64 rng(7);
    for (int i = 0; i < 3000; ++i, ++sent) {
      std::string bytes(rng() % 400, '\0');
      for (char& c : bytes) c = static_cast<char>(rng());
      if (i % 3 == 0 && !bytes.empty()) bytes[0] = format == Format::kJson ? '{' : '\x0a';
      check.Add(1, i, {}, bytes);
    }
    const VerifyReport r = check.Report();
    EXPECT_EQ(r.messages, sent);
    EXPECT_EQ(r.unparsable + r.totals.messages, sent);
    EXPECT_GE(r.unparsable, sent - 10);  // the whole message (and rare lucky bytes) parse
    EXPECT_EQ(r.unparsable_examples.size(), o.unparsable_listed);
  }
}

}  // namespace
}  // namespace iiot
