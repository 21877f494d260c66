#include "codec/protobuf_encoder.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "codec/decoder.h"
#include "codec/json_encoder.h"
#include "codec/rounding.h"
#include "reading.pb.h"
#include "sample_readings.h"

namespace iiot {
namespace {

using testing::BoilerConfig;
using testing::BoilerReading;
using testing::BusyConfig;
using testing::SimulatedReadings;

v1::Reading Parsed(std::string_view bytes) {
  v1::Reading m;
  EXPECT_TRUE(m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
  return m;
}

TEST(ProtobufEncoder, RoundTripsEveryField) {
  const Fleet fleet(BoilerConfig());
  ProtobufEncoder enc(fleet);
  Reading r = BoilerReading();
  r.anomaly = AnomalyKind::kSpike;
  r.anomaly_sensor = SensorType::kTemperature;
  const v1::Reading m = Parsed(enc.Encode(r));

  EXPECT_EQ(m.device_id(), "plant1-b03-f02-r014-d04826");
  EXPECT_EQ(m.seq(), 1234u);
  EXPECT_EQ(m.ts_ms(), testing::kSampleTs);
  EXPECT_EQ(m.profile(), "boiler-room");
  ASSERT_TRUE(m.has_location());
  EXPECT_EQ(m.location().site(), "plant1");
  EXPECT_EQ(m.location().building(), "b03");
  EXPECT_EQ(m.location().floor(), 2);
  EXPECT_EQ(m.location().room(), "r014");
  ASSERT_EQ(m.readings_size(), 3);
  EXPECT_EQ(m.readings(0).sensor(), "temperature");
  EXPECT_EQ(m.readings(0).value_case(), v1::SensorReading::kNumber);
  EXPECT_EQ(m.readings(0).number(), 24.87);
  EXPECT_EQ(m.readings(0).unit(), "C");
  EXPECT_EQ(m.readings(1).sensor(), "current");
  EXPECT_EQ(m.readings(1).number(), 2.41);
  EXPECT_EQ(m.readings(1).unit(), "A");
  EXPECT_EQ(m.readings(2).sensor(), "switch");
  EXPECT_EQ(m.readings(2).value_case(), v1::SensorReading::kState);
  EXPECT_TRUE(m.readings(2).state());
  EXPECT_EQ(m.readings(2).unit(), "");
  EXPECT_EQ(m.quality(), "good");
  ASSERT_TRUE(m.has_anomaly());
  EXPECT_EQ(m.anomaly().kind(), "spike");
  EXPECT_EQ(m.anomaly().sensor(), "temperature");
}

TEST(ProtobufEncoder, KeyIsTheDeviceId) {
  const Fleet fleet(BoilerConfig());
  ProtobufEncoder enc(fleet);
  EXPECT_EQ(enc.Key(BoilerReading()), "plant1-b03-f02-r014-d04826");
}

TEST(ProtobufEncoder, NoAnomalyLeavesItUnset) {
  const Fleet fleet(BoilerConfig());
  ProtobufEncoder enc(fleet);
  EXPECT_FALSE(Parsed(enc.Encode(BoilerReading())).has_anomaly());
}

TEST(ProtobufEncoder, ReusedMessageCarriesNothingOver) {
  const Fleet fleet(BoilerConfig());
  ProtobufEncoder enc(fleet);
  Reading with = BoilerReading();
  with.anomaly = AnomalyKind::kDropout;
  with.anomaly_sensor = SensorType::kCurrent;
  with.sensors[1].present = false;
  with.incident = {IncidentPhase::kRecovery, IncidentKind::kHvacFailure, ScopeLevel::kRoom, 99};
  Reading without = BoilerReading();
  without.sensors[2] = testing::Switch(false);

  for (int round = 0; round < 3; ++round) {
    const v1::Reading a = Parsed(enc.Encode(with));
    ASSERT_TRUE(a.has_anomaly());
    EXPECT_EQ(a.anomaly().kind(), "dropout");
    EXPECT_EQ(a.anomaly().sensor(), "current");
    ASSERT_EQ(a.readings_size(), 2);
    EXPECT_EQ(a.readings(1).sensor(), "switch");
    EXPECT_EQ(a.quality(), "partial");
    ASSERT_TRUE(a.has_incident());
    EXPECT_EQ(a.incident().id(), "0000000000000063");
    EXPECT_EQ(a.incident().kind(), "hvac_failure");
    EXPECT_EQ(a.incident().scope(), "b03-f02-r014");
    EXPECT_EQ(a.incident().phase(), "recovery");

    const v1::Reading b = Parsed(enc.Encode(without));
    EXPECT_FALSE(b.has_anomaly());
    EXPECT_FALSE(b.has_incident());
    ASSERT_EQ(b.readings_size(), 3);
    EXPECT_EQ(b.readings(1).sensor(), "current");
    EXPECT_EQ(b.readings(1).unit(), "A");
    EXPECT_FALSE(b.readings(2).state());
    EXPECT_EQ(b.readings(2).value_case(), v1::SensorReading::kState);
    EXPECT_EQ(b.readings(2).unit(), "");
    EXPECT_EQ(b.quality(), "good");
  }
}

TEST(ProtobufEncoder, NumbersAreRoundedLikeTheJson) {
  const Fleet fleet(BoilerConfig());
  ProtobufEncoder enc(fleet);
  Reading r = BoilerReading();
  for (const double v : {-0.004, -0.006, 1049.999, 24.8712, -9.999}) {
    r.sensors[0].value = v;
    const double got = Parsed(enc.Encode(r)).readings(0).number();
    EXPECT_EQ(got, RoundToCents(v)) << v;
    EXPECT_FALSE(std::signbit(got) && got == 0) << v;
  }
}

TEST(ProtobufEncoder, DecodesToTheSameFieldsAsTheJson) {
  const Config cfg = testing::BusyConfig();
  const Fleet fleet(cfg);
  ProtobufEncoder proto(fleet);
  JsonEncoder json(fleet);
  int anomalies = 0, incidents = 0;
  for (const Reading& r : testing::SimulatedReadings(cfg, fleet, 100, 30)) {
    DecodedReading p, j;
    std::string error;
    ASSERT_TRUE(Decode(Format::kProtobuf, proto.Encode(r), &p, &error)) << error;
    ASSERT_TRUE(Decode(Format::kJson, json.Encode(r), &j, &error)) << error;
    EXPECT_EQ(p.device_id, j.device_id);
    EXPECT_EQ(p.seq, r.seq);
    EXPECT_EQ(j.seq, r.seq);
    EXPECT_EQ(p.ts, r.ts);
    EXPECT_EQ(j.ts, r.ts);
    EXPECT_EQ(p.profile, j.profile);
    EXPECT_EQ(p.site, j.site);
    EXPECT_EQ(p.building, j.building);
    EXPECT_EQ(p.floor, j.floor);
    EXPECT_EQ(p.room, j.room);
    EXPECT_EQ(p.quality, j.quality);
    EXPECT_EQ(p.anomaly_kind, j.anomaly_kind);
    EXPECT_EQ(p.anomaly_sensor, j.anomaly_sensor);
    anomalies += !p.anomaly_kind.empty();
    EXPECT_EQ(p.incident_id, j.incident_id);
    EXPECT_EQ(p.incident_kind, j.incident_kind);
    EXPECT_EQ(p.incident_scope, j.incident_scope);
    EXPECT_EQ(p.incident_phase, j.incident_phase);
    incidents += !p.incident_kind.empty();
    ASSERT_EQ(p.readings.size(), j.readings.size());
    for (size_t i = 0; i < p.readings.size(); ++i) {
      EXPECT_EQ(p.readings[i].name, j.readings[i].name);
      EXPECT_EQ(p.readings[i].type, j.readings[i].type);
      EXPECT_EQ(p.readings[i].value, j.readings[i].value);  // exactly: both rounded to 0.01
      EXPECT_EQ(p.readings[i].on, j.readings[i].on);
      EXPECT_EQ(p.readings[i].unit, j.readings[i].unit);
    }
  }
  EXPECT_GT(anomalies, 50);
  EXPECT_GT(incidents, 50);
}

// The encoder writes the wire format itself: every output must be exactly what libprotobuf
// serializes for the message it parses to (fields in order, defaults omitted, a oneof
// member present even when zero), over real streams with anomalies, dropouts, incidents
// and switches off, plus the edge values a stream rarely shows.
TEST(ProtobufEncoder, BytesAreWhatLibprotobufWritesForTheSameMessage) {
  for (const uint64_t seed : {1u, 7u, 42u}) {
    Config cfg = BusyConfig();
    cfg.run.seed = seed;
    const Fleet fleet(cfg);
    ProtobufEncoder enc(fleet);
    std::vector<Reading> readings = SimulatedReadings(cfg, fleet, 300, 40);
    Reading edge = BoilerReading();
    edge.sensors[0] = testing::Numeric(SensorType::kTemperature, 0.0);
    edge.sensors[1] = testing::Numeric(SensorType::kCurrent, -1e300);
    edge.sensors[2] = testing::Switch(false);
    edge.seq = uint64_t{1} << 63;
    edge.ts = -1;  // before 1970: ten bytes
    readings.push_back(edge);
    size_t anomalies = 0, incidents = 0, partial = 0;
    for (const Reading& r : readings) {
      const std::string bytes(enc.Encode(r));
      v1::Reading m;
      ASSERT_TRUE(m.ParseFromString(bytes)) << "device " << r.device << " seq " << r.seq;
      ASSERT_EQ(m.SerializeAsString(), bytes) << "device " << r.device << " seq " << r.seq;
      ASSERT_EQ(m.seq(), r.seq);
      ASSERT_EQ(m.ts_ms(), r.ts);
      anomalies += m.has_anomaly();
      incidents += m.has_incident();
      partial += m.quality() == "partial";
    }
    EXPECT_GT(anomalies, 0u) << seed;
    EXPECT_GT(incidents, 0u) << seed;
    EXPECT_GT(partial, 0u) << seed;
  }
}

}  // namespace
}  // namespace iiot
