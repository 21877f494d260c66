// The decoder's own wire-format readers against the reference parsers, over real messages
// and many damaged copies of them: Decode(kProtobuf) reports a wire-format error exactly
// when libprotobuf's ParseFromString fails, and reads the same fields when both parse;
// Decode(kJson) accepts only what nlohmann::json accepts as JSON.
#include <google/protobuf/stubs/logging.h>
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "codec/decoder.h"
#include "codec/json_encoder.h"
#include "codec/protobuf_encoder.h"
#include "reading.pb.h"
#include "sample_readings.h"
#include "sim/rng.h"

namespace iiot {
namespace {

using namespace std::string_literals;

constexpr std::string_view kWireError = "not an iiot.v1.Reading protobuf message";

std::string Varint(uint64_t v) {
  std::string out;
  for (; v >= 0x80; v >>= 7) out += static_cast<char>((v & 0x7f) | 0x80);
  out += static_cast<char>(v);
  return out;
}

std::string Tag(uint64_t field, int wire_type) {
  return Varint(field << 3 | static_cast<uint64_t>(wire_type));
}

std::string Delimited(uint64_t field, const std::string& payload) {
  return Tag(field, 2) + Varint(payload.size()) + payload;
}

// Real messages with every label, encoded by the producer's encoder.
std::vector<std::string> RealProtobufMessages() {
  const Config cfg = testing::BusyConfig();
  const Fleet fleet(cfg);
  ProtobufEncoder enc(fleet);
  std::vector<std::string> out;
  for (const Reading& r : testing::SimulatedReadings(cfg, fleet, 40, 10)) {
    out.emplace_back(enc.Encode(r));
  }
  return out;
}

// Damaged and extended copies of `m`, the kinds of input a wire parser gets wrong.
std::vector<std::string> Variants(const std::string& m, Rng& rng) {
  std::vector<std::string> out;
  out.push_back(m.substr(0, rng.Next() % m.size()));
  std::string flipped = m;
  flipped[rng.Next() % m.size()] = static_cast<char>(rng.Next());
  out.push_back(flipped);
  std::string inserted = m;
  inserted.insert(rng.Next() % m.size(), 1, static_cast<char>(rng.Next()));
  out.push_back(inserted);
  // Unknown fields of every wire type, and groups: matched, mismatched, unterminated.
  for (const std::string& extra : {
           Tag(20, 0) + Varint(1'000'000'007),
           Tag(20, 1) + "12345678",
           Tag(20, 5) + "1234",
           Delimited(20, "\xff\xfe anything"),
           Tag(20, 3) + Tag(21, 0) + Varint(5) + Tag(20, 4),
           Tag(20, 3) + Tag(21, 0) + Varint(5) + Tag(21, 4),
           Tag(20, 3) + Tag(21, 0) + Varint(5),
           Tag(20, 4),
           Tag(20, 6) + "x",
           Tag(20, 7) + "x",
           Tag(0, 2) + Varint(0),
           Tag(1, 0) + Varint(7),                    // device_id with the wrong wire type
           Tag(2, 2) + Varint(1) + "x",              // seq with the wrong wire type
           Delimited(1, "\xc3"),                     // device_id cut inside a UTF-8 sequence
           Delimited(1, "\xed\xa0\x80"),             // a UTF-16 surrogate in UTF-8
           Delimited(5, Tag(3, 0) + Varint(~0ULL)),  // floor -1, merged into the location
           Delimited(5, Delimited(1, "plant9")),     // the site, merged into the location
           Delimited(6, Delimited(1, "humidity") + Tag(2, 1) + "\0\0\0\0\0\0\x49\x40"s),
           Delimited(
               6, Delimited(1, "switch") + Tag(2, 1) + "\0\0\0\0\0\0\0\0"s + Tag(3, 0) + Varint(2)),
           Delimited(8, ""),
           Delimited(9, Delimited(4, "active")),
           Tag(2, 0) + "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01",      // 10-byte varint
           Tag(2, 0) + "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01",  // 11 bytes
           "\x90\x80\x80\x80\x00"s + Varint(3),                         // 5-byte tag, seq
           "\x90\x80\x80\x80\x80\x00"s + Varint(3),                     // 6-byte tag
           Tag(4, 2) + "\x80\x80\x80\x80\x00"s,                         // 5-byte length 0
       }) {
    out.push_back(m + extra);
    out.push_back(extra + m);
  }
  std::string deep;  // groups nested 99, 100 and 101 deep
  for (int depth : {99, 100, 101}) {
    deep.clear();
    for (int i = 0; i < depth; ++i) deep += Tag(20, 3);
    for (int i = 0; i < depth; ++i) deep += Tag(20, 4);
    out.push_back(m + deep);
    out.push_back(m + Delimited(5, deep));
  }
  return out;
}

void ExpectSameFields(const v1::Reading& p, const DecodedReading& d) {
  EXPECT_EQ(d.device_id, p.device_id());
  EXPECT_EQ(d.seq, p.seq());
  EXPECT_EQ(d.ts, p.ts_ms());
  EXPECT_EQ(d.profile, p.profile());
  EXPECT_EQ(d.site, p.location().site());
  EXPECT_EQ(d.building, p.location().building());
  EXPECT_EQ(d.floor, static_cast<uint32_t>(p.location().floor()));
  EXPECT_EQ(d.room, p.location().room());
  EXPECT_EQ(d.quality, p.quality());
  ASSERT_EQ(d.readings.size(), static_cast<size_t>(p.readings_size()));
  for (int i = 0; i < p.readings_size(); ++i) {
    const DecodedSensor& s = d.readings[static_cast<size_t>(i)];
    EXPECT_EQ(s.name, p.readings(i).sensor());
    EXPECT_EQ(s.unit, p.readings(i).unit());
    if (s.type == SensorType::kSwitch) {
      EXPECT_EQ(s.on, p.readings(i).state());
    } else {
      EXPECT_EQ(s.value, p.readings(i).number());
    }
  }
  EXPECT_EQ(d.anomaly_kind, p.anomaly().kind());
  EXPECT_EQ(d.anomaly_sensor, p.anomaly().sensor());
  EXPECT_EQ(d.incident_id, p.incident().id());
  EXPECT_EQ(d.incident_phase, p.incident().phase());
}

TEST(DecoderAgreement, ProtobufWireErrorsAreExactlyLibprotobufs) {
  google::protobuf::LogSilencer quiet;  // libprotobuf logs each invalid UTF-8 string
  Rng rng(12, 8);
  size_t parsed = 0, rejected = 0;
  for (const std::string& message : RealProtobufMessages()) {
    for (const std::string& bytes : Variants(message, rng)) {
      v1::Reading reference;
      const bool reference_ok = reference.ParseFromString(bytes);
      DecodedReading d;
      std::string error;
      const bool ok = Decode(Format::kProtobuf, bytes, &d, &error);
      const bool wire_error = !ok && error.starts_with(kWireError);
      ASSERT_EQ(wire_error, !reference_ok) << ::testing::PrintToString(bytes) << ": " << error;
      if (ok) ExpectSameFields(reference, d);
      (reference_ok ? parsed : rejected) += 1;
    }
  }
  EXPECT_GT(parsed, 1000u);
  EXPECT_GT(rejected, 1000u);
}

TEST(DecoderAgreement, JsonIsAcceptedOnlyIfItIsJson) {
  const Config cfg = testing::BusyConfig();
  const Fleet fleet(cfg);
  JsonEncoder enc(fleet);
  Rng rng(12, 9);
  size_t accepted = 0;
  for (const Reading& r : testing::SimulatedReadings(cfg, fleet, 40, 10)) {
    const std::string m(enc.Encode(r));
    std::vector<std::string> variants = {
        m.substr(0, rng.Next() % m.size()),
        m.substr(0, m.size() - 1) + R"(,"x":[1,{"y":null,"z":[true,false,"\u00e9"]}]})",
        m.substr(0, m.size() - 1) + R"(,"x":[1,{"y":nul}]})",
        m.substr(0, m.size() - 1) + R"(,"x":[1,]})",
        m.substr(0, m.size() - 1) + R"(,"x":tru})",
        m.substr(0, m.size() - 1) + R"(,"x":"\q"})",
        m.substr(0, m.size() - 1) + R"(,"x":01})",
        m + " ",
        " " + m,
        m + "{}",
    };
    for (int i = 0; i < 8; ++i) {
      std::string flipped = m;
      flipped[rng.Next() % m.size()] = static_cast<char>(rng.Next());
      variants.push_back(flipped);
    }
    for (const std::string& bytes : variants) {
      DecodedReading d;
      std::string error;
      if (Decode(Format::kJson, bytes, &d, &error)) {
        ++accepted;
        EXPECT_TRUE(nlohmann::json::accept(bytes)) << bytes;
      }
    }
  }
  EXPECT_GT(accepted, 800u);
}

}  // namespace
}  // namespace iiot
