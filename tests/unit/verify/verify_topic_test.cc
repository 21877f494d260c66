// VerifyTopic end to end against the embedded in-process cluster: crafted streams, each
// problem counted exactly once.
#include <gtest/gtest.h>

#include <string>

#include "../sink/kafka_test_support.h"
#include "codec/decoder.h"
#include "sink/embedded_cluster.h"
#include "verify/verify_command.h"
#include "verify_test_messages.h"

namespace iiot {
namespace {

using namespace std::chrono_literals;
using verifytest::JsonValue;
using verifytest::ProtoValue;
using verifytest::RawProducer;

class VerifyTopicTest : public sinktest::KafkaTest {
 protected:
  void SetUp() override {
    sinktest::KafkaTest::SetUp();
    if (IsSkipped()) return;
    auto cluster = EmbeddedCluster::Start(kafka_, {});
    ASSERT_TRUE(cluster) << cluster.error().message;
    cluster_ = std::move(*cluster);
    producer_ = std::make_unique<RawProducer>(cluster_->bootstraps(), kafka_.topic);
  }

  VerifyReport Verify(Format format = Format::kJson, Expectations expect = {}) {
    EXPECT_TRUE(producer_->Flush());
    VerifyOptions o;
    o.kafka = kafka_;
    o.bootstrap_override = cluster_->bootstraps();
    o.format = format;
    o.expect = expect;
    o.timeout = 10s;
    return VerifyTopic(o, {});
  }

  const DeviceStats* Worst(const VerifyReport& r, const std::string& id) {
    for (const DeviceStats& d : r.worst) {
      if (d.device_id == id) return &d;
    }
    ADD_FAILURE() << id << " is not among the devices with problems";
    return nullptr;
  }

  KafkaConfig kafka_ = sinktest::SmallCluster();  // 4 partitions
  std::unique_ptr<EmbeddedCluster> cluster_;
  std::unique_ptr<RawProducer> producer_;
};

TEST_F(VerifyTopicTest, CleanStreamMatchesExpectations) {
  for (uint64_t seq = 1; seq <= 50; ++seq) {
    for (int d = 0; d < 20; ++d) {
      const std::string id = "plant1-b01-f01-r001-d" + std::to_string(d);
      producer_->Send(RawProducer::kByKey, id, JsonValue(id, seq));
    }
  }
  const VerifyReport r = Verify(Format::kJson, {20, 50});
  EXPECT_EQ(r.error, "");
  EXPECT_TRUE(r.clean) << RenderTable(r);
  EXPECT_TRUE(r.reasons.empty());
  EXPECT_EQ(r.messages, 1000u);
  EXPECT_EQ(r.totals.devices, 20u);
  EXPECT_EQ(r.totals.devices_with_problems, 0u);
  ASSERT_EQ(r.partitions.size(), 4u);
  uint64_t sum = 0;
  for (const PartitionStats& p : r.partitions) {
    EXPECT_EQ(p.messages, static_cast<uint64_t>(p.end - p.start));
    sum += p.messages;
  }
  EXPECT_EQ(sum, 1000u);
  EXPECT_NE(RenderTable(r).find("verify: CLEAN\n"), std::string::npos);
}

TEST_F(VerifyTopicTest, EachProblemIsCountedExactly) {
  for (const uint64_t q : {1, 2, 4, 5}) producer_->Send(0, "gap", JsonValue("gap", q));
  for (const uint64_t q : {1, 2, 2, 3}) producer_->Send(1, "dup", JsonValue("dup", q));
  for (const uint64_t q : {1, 3, 2, 4}) producer_->Send(2, "reorder", JsonValue("reorder", q));
  for (const uint64_t q : {1, 2}) producer_->Send(0, "moved", JsonValue("moved", q));
  for (const uint64_t q : {3, 4}) producer_->Send(3, "moved", JsonValue("moved", q));
  producer_->Send(3, "wrong-key", JsonValue("keyed", 1));
  producer_->Send(3, "keyed", JsonValue("keyed", 2));
  producer_->Send(1, "dup", std::string("\xff\xfe garbage \x00\x01", 14));  // offset 4
  producer_->Send(2, "reorder", JsonValue("reorder", 5).substr(0, 40));     // offset 4
  producer_->Send(3, nullptr, "", /*null_value=*/true);                     // offset 4

  const VerifyReport r = Verify();
  EXPECT_EQ(r.error, "");
  EXPECT_FALSE(r.clean);
  EXPECT_EQ(r.messages, 21u);
  EXPECT_EQ(r.totals.messages, 18u);
  EXPECT_EQ(r.totals.devices, 5u);
  EXPECT_EQ(r.totals.gaps, 1u);
  EXPECT_EQ(r.totals.duplicates, 1u);
  EXPECT_EQ(r.totals.out_of_order, 1u);
  EXPECT_EQ(r.totals.multi_partition_devices, 1u);
  EXPECT_EQ(r.totals.key_mismatches, 1u);
  EXPECT_EQ(r.unparsable, 3u);
  EXPECT_EQ(r.totals.devices_with_problems, 5u);

  if (const DeviceStats* d = Worst(r, "gap")) {
    EXPECT_EQ(d->missing, (std::vector<SeqRange>{{3, 3}}));
    EXPECT_EQ(d->duplicates + d->out_of_order + d->key_mismatches, 0u);
  }
  if (const DeviceStats* d = Worst(r, "dup")) {
    EXPECT_EQ(d->duplicates, 1u);
  }
  if (const DeviceStats* d = Worst(r, "reorder")) {
    EXPECT_EQ(d->out_of_order, 1u);
    EXPECT_EQ(d->gaps, 0u);
  }
  if (const DeviceStats* d = Worst(r, "moved")) {
    EXPECT_EQ(d->partitions, (std::vector<int32_t>{0, 3}));
    EXPECT_EQ(d->gaps + d->out_of_order + d->duplicates, 0u);
  }
  if (const DeviceStats* d = Worst(r, "keyed")) {
    EXPECT_EQ(d->key_mismatches, 1u);
  }

  ASSERT_EQ(r.unparsable_examples.size(), 3u);
  std::map<int32_t, int64_t> offset_of;
  for (const UnparsableExample& e : r.unparsable_examples) {
    offset_of[e.partition] = e.offset;
    EXPECT_FALSE(e.error.empty());
  }
  EXPECT_EQ(offset_of, (std::map<int32_t, int64_t>{{1, 4}, {2, 4}, {3, 4}}));
  EXPECT_EQ(r.reasons.size(), 6u) << RenderTable(r);
}

TEST_F(VerifyTopicTest, ProtobufGarbageAndTruncationAreUnparsable) {
  for (uint64_t q = 1; q <= 5; ++q) {
    for (const char* id : {"a", "b", "c"})
      producer_->Send(RawProducer::kByKey, id, ProtoValue(id, q));
  }
  for (const uint64_t q : {1, 2, 4}) producer_->Send(0, "p", ProtoValue("p", q));
  const std::string full = ProtoValue("p", 5);
  const std::string truncated = full.substr(0, full.size() / 2);
  DecodedReading probe;
  ASSERT_FALSE(Decode(Format::kProtobuf, truncated, &probe, nullptr));
  producer_->Send(0, "p", truncated);
  producer_->Send(1, "x", std::string("\x0a\xff\xff\xff\xff\x0f garbage", 14));

  const VerifyReport r = Verify(Format::kProtobuf);
  EXPECT_EQ(r.error, "");
  EXPECT_FALSE(r.clean);
  EXPECT_EQ(r.messages, 20u);
  EXPECT_EQ(r.unparsable, 2u);
  EXPECT_EQ(r.totals.devices, 4u);
  EXPECT_EQ(r.totals.gaps, 1u);
  EXPECT_EQ(r.totals.devices_with_problems, 1u);
  EXPECT_EQ(r.totals.duplicates + r.totals.out_of_order + r.totals.key_mismatches, 0u);
}

TEST_F(VerifyTopicTest, JsonReadAsProtobufIsAllUnparsable) {
  for (uint64_t q = 1; q <= 3; ++q) producer_->Send(RawProducer::kByKey, "a", JsonValue("a", q));
  const VerifyReport r = Verify(Format::kProtobuf);
  EXPECT_FALSE(r.clean);
  EXPECT_EQ(r.unparsable, 3u);
  ASSERT_FALSE(r.reasons.empty());
  EXPECT_NE(r.reasons[0].find("is --format right?"), std::string::npos) << r.reasons[0];
}

TEST_F(VerifyTopicTest, DeviceCountMismatchIsNotClean) {
  for (uint64_t q = 1; q <= 10; ++q) {
    for (const char* id : {"a", "b", "c"})
      producer_->Send(RawProducer::kByKey, id, JsonValue(id, q));
  }
  const VerifyReport r = Verify(Format::kJson, {4, std::nullopt});
  EXPECT_FALSE(r.clean);
  EXPECT_EQ(r.reasons, (std::vector<std::string>{"expected 4 devices, found 3"}));
}

TEST_F(VerifyTopicTest, PerDeviceMismatchNamesTheDevices) {
  for (uint64_t q = 1; q <= 10; ++q) {
    for (const char* id : {"a", "b", "c"})
      producer_->Send(RawProducer::kByKey, id, JsonValue(id, q));
  }
  producer_->Send(RawProducer::kByKey, "a", JsonValue("a", 11));
  const VerifyReport r = Verify(Format::kJson, {3, 11});
  EXPECT_FALSE(r.clean);
  EXPECT_EQ(r.totals.devices_not_matching, 2u);
  ASSERT_EQ(r.worst.size(), 2u);
  EXPECT_EQ(r.worst[0].device_id, "b");
  EXPECT_EQ(r.worst[0].missing_tail, 1u);
  EXPECT_EQ(r.reasons, (std::vector<std::string>{"2 devices without exactly seqs 1..11"}));
}

TEST_F(VerifyTopicTest, EmptyTopicIsCleanOnlyWithoutExpectations) {
  const VerifyReport plain = Verify();
  EXPECT_TRUE(plain.clean);
  EXPECT_EQ(plain.partitions.size(), 4u);
  const VerifyReport expecting = Verify(Format::kJson, {std::nullopt, 5});
  EXPECT_FALSE(expecting.clean);
  EXPECT_EQ(expecting.reasons, (std::vector<std::string>{"the topic is empty"}));
}

TEST_F(VerifyTopicTest, MissingTopicIsAnError) {
  rd_kafka_mock_topic_set_error(cluster_->mock(), "absent",
                                RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  VerifyOptions o;
  o.kafka = kafka_;
  o.kafka.topic = "absent";
  o.bootstrap_override = cluster_->bootstraps();
  o.timeout = 5s;
  const VerifyReport r = VerifyTopic(o, {});
  EXPECT_EQ(r.error, "topic \"absent\" does not exist on " + cluster_->bootstraps());
  EXPECT_FALSE(r.config_error);
  EXPECT_FALSE(r.clean);
}

}  // namespace
}  // namespace iiot
