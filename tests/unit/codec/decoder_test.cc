#include "codec/decoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "codec/json_encoder.h"
#include "codec/protobuf_encoder.h"
#include "reading.pb.h"
#include "sample_readings.h"
#include "sim/rng.h"

namespace iiot {
namespace {

using testing::BoilerConfig;
using testing::BoilerReading;

constexpr const char* kGolden =
    R"({"device_id":"plant1-b03-f02-r014-d00042","seq":1234,"ts":"2026-11-21T10:00:00.123Z",)"
    R"("profile":"boiler-room","location":{"site":"plant1","building":"b03","floor":2,)"
    R"("room":"r014"},"readings":{"temperature":{"value":24.87,"unit":"C"},)"
    R"("current":{"value":2.41,"unit":"A"},"switch":{"value":true}},"quality":"good",)"
    R"("anomaly":null})";

// kGolden with `from` replaced by `to` (once).
std::string GoldenWith(const std::string& from, const std::string& to) {
  std::string s = kGolden;
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

std::string ProtobufOf(const Reading& r) {
  const Fleet fleet(BoilerConfig());
  ProtobufEncoder enc(fleet);
  return std::string(enc.Encode(r));
}

void ExpectRejected(Format format, std::string_view bytes) {
  DecodedReading m;
  std::string error;
  EXPECT_FALSE(Decode(format, bytes, &m, &error)) << bytes;
  EXPECT_FALSE(error.empty());
}

TEST(Decoder, DecodesTheDocumentedJsonMessage) {
  DecodedReading m;
  std::string error;
  ASSERT_TRUE(Decode(Format::kJson, kGolden, &m, &error)) << error;
  EXPECT_EQ(m.device_id, "plant1-b03-f02-r014-d00042");
  EXPECT_EQ(m.seq, 1234u);
  EXPECT_EQ(m.ts, testing::kSampleTs);
  EXPECT_EQ(m.profile, "boiler-room");
  EXPECT_EQ(m.site, "plant1");
  EXPECT_EQ(m.building, "b03");
  EXPECT_EQ(m.floor, 2u);
  EXPECT_EQ(m.room, "r014");
  ASSERT_EQ(m.readings.size(), 3u);
  EXPECT_EQ(m.readings[0].name, "temperature");
  EXPECT_EQ(m.readings[0].type, SensorType::kTemperature);
  EXPECT_EQ(m.readings[0].value, 24.87);
  EXPECT_EQ(m.readings[0].unit, "C");
  EXPECT_EQ(m.readings[1].name, "current");
  EXPECT_EQ(m.readings[1].value, 2.41);
  EXPECT_EQ(m.readings[2].name, "switch");
  EXPECT_TRUE(m.readings[2].on);
  EXPECT_EQ(m.readings[2].unit, "");
  ASSERT_NE(m.Find("current"), nullptr);
  EXPECT_EQ(m.Find("current")->unit, "A");
  EXPECT_EQ(m.Find("humidity"), nullptr);
  EXPECT_EQ(m.quality, "good");
  EXPECT_EQ(m.anomaly_kind, "");
  EXPECT_EQ(m.anomaly_sensor, "");
}

TEST(Decoder, DecodesAJsonAnomaly) {
  DecodedReading m;
  std::string error;
  ASSERT_TRUE(
      Decode(Format::kJson,
             GoldenWith(R"("anomaly":null)", R"("anomaly":{"kind":"stuck","sensor":"current"})"),
             &m, &error))
      << error;
  EXPECT_EQ(m.anomaly_kind, "stuck");
  EXPECT_EQ(m.anomaly_sensor, "current");
}

TEST(Decoder, DecodesAJsonIncidentAndMessagesWithoutOne) {
  DecodedReading m;
  std::string error;
  ASSERT_TRUE(Decode(
      Format::kJson,
      GoldenWith(R"("anomaly":null)", R"("anomaly":null,"incident":{"id":"00000000000000ff",)"
                                      R"("kind":"power_loss","scope":"b03","phase":"active"})"),
      &m, &error))
      << error;
  EXPECT_EQ(m.incident_id, "00000000000000ff");
  EXPECT_EQ(m.incident_kind, "power_loss");
  EXPECT_EQ(m.incident_scope, "b03");
  EXPECT_EQ(m.incident_phase, "active");
  // Without the field (messages from before incidents), or null: none.
  ASSERT_TRUE(Decode(Format::kJson, kGolden, &m, &error)) << error;
  EXPECT_EQ(m.incident_kind, "");
  ASSERT_TRUE(Decode(Format::kJson,
                     GoldenWith(R"("anomaly":null)", R"("anomaly":null,"incident":null)"), &m,
                     &error))
      << error;
  EXPECT_EQ(m.incident_phase, "");
  for (const char* bad : {R"("incident":{"id":"1","kind":"flood","scope":"b03","phase":"active"})",
                          R"("incident":{"id":"1","kind":"power_loss","scope":"b03","phase":"x"})",
                          R"("incident":{"kind":"power_loss","scope":"b03","phase":"active"})",
                          R"("incident":"power_loss")"}) {
    ExpectRejected(Format::kJson,
                   GoldenWith(R"("anomaly":null)", std::string(R"("anomaly":null,)") + bad));
  }
}

TEST(Decoder, NullJsonValueIsNaN) {
  DecodedReading m;
  std::string error;
  ASSERT_TRUE(Decode(Format::kJson, GoldenWith("24.87", "null"), &m, &error)) << error;
  EXPECT_TRUE(std::isnan(m.readings[0].value));
}

TEST(Decoder, DecodesAProtobufMessage) {
  Reading r = BoilerReading();
  r.anomaly = AnomalyKind::kDrift;
  r.anomaly_sensor = SensorType::kCurrent;
  r.sensors[2] = testing::Switch(false);
  DecodedReading m;
  std::string error;
  ASSERT_TRUE(Decode(Format::kProtobuf, ProtobufOf(r), &m, &error)) << error;
  EXPECT_EQ(m.device_id, "plant1-b03-f02-r014-d04826");
  EXPECT_EQ(m.seq, 1234u);
  EXPECT_EQ(m.ts, testing::kSampleTs);
  EXPECT_EQ(m.floor, 2u);
  ASSERT_EQ(m.readings.size(), 3u);
  EXPECT_EQ(m.readings[0].value, 24.87);
  EXPECT_FALSE(m.readings[2].on);
  EXPECT_EQ(m.anomaly_kind, "drift");
  EXPECT_EQ(m.anomaly_sensor, "current");
}

TEST(Decoder, IgnoresUnknownJsonFields) {
  DecodedReading m;
  std::string error;
  EXPECT_TRUE(Decode(Format::kJson, GoldenWith(R"("seq")", R"("extra":[1,{}],"seq")"), &m, &error))
      << error;
}

TEST(Decoder, RejectsJsonThatBreaksTheSchema) {
  const std::vector<std::pair<std::string, std::string>> edits = {
      {R"("seq":1234)", R"("seq":"1234")"},
      {R"("seq":1234)", R"("seq":-1)"},
      {R"("seq":1234)", R"("seq":0)"},
      {R"("seq":1234)", R"("seq":12.5)"},
      {R"("seq":1234,)", ""},
      {R"("device_id":"plant1-b03-f02-r014-d00042")", R"("device_id":"")"},
      {R"("device_id":"plant1-b03-f02-r014-d00042")", R"("device_id":42)"},
      {"2026-11-21T10:00:00.123Z", "2026-11-21T10:00:00Z"},
      {"2026-11-21T10:00:00.123Z", "2026-02-30T10:00:00.123Z"},
      {R"("profile":"boiler-room")", R"("profile":null)"},
      {R"("floor":2)", R"("floor":-2)"},
      {R"("floor":2)", R"("floor":4294967296)"},
      {R"("room":"r014")", R"("room":14)"},
      {R"("temperature")", R"("temp")"},
      {R"("switch":{"value":true})", R"("switch":{"value":1})"},
      {R"("switch":{"value":true})", R"("switch":true)"},
      {"24.87", R"("24.87")"},
      {R"(,"unit":"C")", ""},
      {R"("quality":"good")", R"("quality":"bad")"},
      {R"("anomaly":null)", R"("anomaly":"spike")"},
      {R"("anomaly":null)", R"("anomaly":{"kind":"meteor","sensor":"current"})"},
      {R"("anomaly":null)", R"("anomaly":{"kind":"spike","sensor":"voltage"})"},
      {R"("anomaly":null)", R"("anomaly":{"kind":"none","sensor":"current"})"},
      {R"("anomaly":null)", R"("anomaly":{"kind":"spike"})"},
      {R"(,"anomaly":null)", ""},
  };
  for (const auto& [from, to] : edits) {
    SCOPED_TRACE(from + " -> " + to);
    ExpectRejected(Format::kJson, GoldenWith(from, to));
  }
  ExpectRejected(Format::kJson, "[1,2,3]");
  ExpectRejected(Format::kJson, "\"just a string\"");
  ExpectRejected(Format::kJson, "null");
  ExpectRejected(Format::kJson, std::string(kGolden) + "}");
}

TEST(Decoder, RejectsProtobufThatBreaksTheSchema) {
  const Fleet fleet(BoilerConfig());
  ProtobufEncoder enc(fleet);
  v1::Reading good;
  ASSERT_TRUE(good.ParseFromString(std::string(enc.Encode(BoilerReading()))));
  const auto expect_rejected = [](const v1::Reading& m) {
    ExpectRejected(Format::kProtobuf, m.SerializeAsString());
  };
  v1::Reading m = good;
  m.clear_location();
  expect_rejected(m);
  m = good;
  m.set_seq(0);
  expect_rejected(m);
  m = good;
  m.clear_device_id();
  expect_rejected(m);
  m = good;
  m.set_quality("meh");
  expect_rejected(m);
  m = good;
  m.mutable_readings(0)->set_sensor("voltage");
  expect_rejected(m);
  m = good;
  m.mutable_readings(0)->set_state(true);  // temperature with a boolean
  expect_rejected(m);
  m = good;
  m.mutable_readings(2)->set_number(1);  // switch with a number
  expect_rejected(m);
  m = good;
  m.mutable_readings(1)->clear_value();
  expect_rejected(m);
  m = good;
  *m.add_readings() = good.readings(0);  // temperature twice
  expect_rejected(m);
  m = good;
  m.mutable_location()->set_floor(-1);
  expect_rejected(m);
  m = good;
  m.mutable_anomaly();  // set, but empty
  expect_rejected(m);
  m = good;
  m.mutable_anomaly()->set_kind("spike");
  m.mutable_anomaly()->set_sensor("sun");
  expect_rejected(m);
}

TEST(Decoder, RejectsEmptyAndOversizedInput) {
  for (const Format f : {Format::kJson, Format::kProtobuf}) {
    ExpectRejected(f, "");
    ExpectRejected(f, std::string(kMaxDecodeBytes + 1, ' '));
  }
}

TEST(Decoder, RejectsDeepNestingWithoutCrashing) {
  ExpectRejected(Format::kJson, std::string(500'000, '['));
  ExpectRejected(Format::kJson, std::string(100'000, '[') + std::string(100'000, ']'));
  // Field 5 (location) nested in itself 200,000 times, past protobuf's depth limit.
  std::string deep;
  for (int i = 0; i < 200'000; ++i) deep += "\x2a\x7f";
  ExpectRejected(Format::kProtobuf, deep);
}

TEST(Decoder, EveryTruncationOfAJsonMessageIsRejected) {
  const std::string full = kGolden;
  for (size_t n = 0; n < full.size(); ++n) {
    SCOPED_TRACE(n);
    ExpectRejected(Format::kJson, std::string_view(full).substr(0, n));
  }
}

TEST(Decoder, TruncatedProtobufNeverCrashesAndLosesQuality) {
  Reading r = BoilerReading();
  r.anomaly = AnomalyKind::kSpike;
  const std::string full = ProtobufOf(r);
  v1::Reading parsed;
  ASSERT_TRUE(parsed.ParseFromString(full));
  const size_t up_to_quality = full.size() - parsed.anomaly().ByteSizeLong() - 2;
  for (size_t n = 0; n < full.size(); ++n) {
    DecodedReading m;
    std::string error;
    const bool ok = Decode(Format::kProtobuf, std::string_view(full).substr(0, n), &m, &error);
    // Only a cut exactly between fields after "quality" still makes a valid message.
    if (n < up_to_quality) {
      EXPECT_FALSE(ok) << n;
    }
    if (!ok) {
      EXPECT_FALSE(error.empty());
    }
  }
}

TEST(Decoder, RandomBytesNeverCrash) {
  Rng rng(99, 1);
  int accepted = 0;
  for (int i = 0; i < 20'000; ++i) {
    std::string bytes(1 + rng.Next() % 300, '\0');
    for (char& c : bytes) c = static_cast<char>(rng.Next());
    for (const Format f : {Format::kJson, Format::kProtobuf}) {
      DecodedReading m;
      std::string error;
      if (Decode(f, bytes, &m, &error)) {
        ++accepted;
      } else {
        EXPECT_FALSE(error.empty());
      }
    }
  }
  EXPECT_EQ(accepted, 0);
}

TEST(Decoder, FlippedBytesOfRealMessagesNeverCrash) {
  const Config cfg = testing::BusyConfig();
  const Fleet fleet(cfg);
  JsonEncoder json(fleet);
  ProtobufEncoder proto(fleet);
  Rng rng(5, 5);
  for (const Reading& r : testing::SimulatedReadings(cfg, fleet, 50, 20)) {
    for (const Format f : {Format::kJson, Format::kProtobuf}) {
      std::string bytes(f == Format::kJson ? json.Encode(r) : proto.Encode(r));
      bytes[rng.Next() % bytes.size()] = static_cast<char>(rng.Next());
      DecodedReading m;
      std::string error;
      if (!Decode(f, bytes, &m, &error)) {
        EXPECT_FALSE(error.empty());
      }
    }
  }
}

TEST(Decoder, NullErrorIsAllowed) {
  DecodedReading m;
  EXPECT_FALSE(Decode(Format::kJson, "{", &m, nullptr));
}

TEST(NextFrame, SplitsJsonLines) {
  std::string_view stream = "{\"a\":1}\n{\"b\":2}\nlast";
  std::string_view msg;
  ASSERT_EQ(NextFrame(Format::kJson, &stream, &msg), FrameStatus::kMessage);
  EXPECT_EQ(msg, "{\"a\":1}");
  ASSERT_EQ(NextFrame(Format::kJson, &stream, &msg), FrameStatus::kMessage);
  EXPECT_EQ(msg, "{\"b\":2}");
  ASSERT_EQ(NextFrame(Format::kJson, &stream, &msg), FrameStatus::kMessage);
  EXPECT_EQ(msg, "last");
  EXPECT_EQ(NextFrame(Format::kJson, &stream, &msg), FrameStatus::kEnd);
}

TEST(NextFrame, SplitsVarintDelimitedProtobuf) {
  const Config cfg = testing::BusyConfig();
  const Fleet fleet(cfg);
  ProtobufEncoder enc(fleet);
  std::string stream_bytes;
  std::vector<std::string> messages;
  for (const Reading& r : testing::SimulatedReadings(cfg, fleet, 20, 3)) {
    messages.emplace_back(enc.Encode(r));
    for (uint64_t n = messages.back().size();; n >>= 7) {  // varint length prefix
      stream_bytes.push_back(static_cast<char>((n & 0x7f) | (n >= 0x80 ? 0x80 : 0)));
      if (n < 0x80) break;
    }
    stream_bytes += messages.back();
  }
  std::string_view stream = stream_bytes;
  std::string_view msg;
  for (const std::string& expected : messages) {
    ASSERT_EQ(NextFrame(Format::kProtobuf, &stream, &msg), FrameStatus::kMessage);
    EXPECT_EQ(msg, expected);
    DecodedReading m;
    std::string error;
    EXPECT_TRUE(Decode(Format::kProtobuf, msg, &m, &error)) << error;
  }
  EXPECT_EQ(NextFrame(Format::kProtobuf, &stream, &msg), FrameStatus::kEnd);
}

TEST(NextFrame, ReportsMalformedProtobufFraming) {
  std::string_view msg;
  for (const std::string_view bad :
       {std::string_view("\x05"
                         "abc"),
        std::string_view("\x80"), std::string_view("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"),
        std::string_view("\xff\xff\xff\x7f")}) {
    std::string_view stream = bad;
    EXPECT_EQ(NextFrame(Format::kProtobuf, &stream, &msg), FrameStatus::kMalformed);
    EXPECT_EQ(stream, bad);  // not advanced
  }
}

}  // namespace
}  // namespace iiot
