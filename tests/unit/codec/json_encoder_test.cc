#include "codec/json_encoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "codec/rounding.h"
#include "sample_readings.h"

namespace iiot {
namespace {

using Json = nlohmann::ordered_json;
using testing::BoilerConfig;
using testing::BoilerReading;

// The value text of the first sensor when it is a temperature of v.
std::string ValueText(double v) {
  const Config cfg = BoilerConfig();
  const Fleet fleet(cfg);
  JsonEncoder enc(fleet);
  Reading r = BoilerReading();
  r.sensors[0].value = v;
  const std::string msg(enc.Encode(r));
  const std::string head = R"("temperature":{"value":)";
  const size_t start = msg.find(head) + head.size();
  return msg.substr(start, msg.find(',', start) - start);
}

std::string TsText(UnixMillis ts) {
  const Fleet fleet(BoilerConfig());
  JsonEncoder enc(fleet);
  Reading r = BoilerReading();
  r.ts = ts;
  return Json::parse(enc.Encode(r))["ts"].get<std::string>();
}

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& item : object.items()) keys.push_back(item.key());
  return keys;
}

TEST(JsonEncoder, WritesTheDocumentedMessageExactly) {
  const Fleet fleet(BoilerConfig());
  JsonEncoder enc(fleet);
  EXPECT_EQ(enc.Encode(BoilerReading()),
            R"({"device_id":"plant1-b03-f02-r014-d04826","seq":1234,)"
            R"("ts":"2026-11-21T10:00:00.123Z","profile":"boiler-room",)"
            R"("location":{"site":"plant1","building":"b03","floor":2,"room":"r014"},)"
            R"("readings":{"temperature":{"value":24.87,"unit":"C"},)"
            R"("current":{"value":2.41,"unit":"A"},"switch":{"value":true}},)"
            R"("quality":"good","anomaly":null,"incident":null})");
}

TEST(JsonEncoder, KeyIsTheDeviceId) {
  const Fleet fleet(BoilerConfig());
  JsonEncoder enc(fleet);
  EXPECT_EQ(enc.Key(BoilerReading()), "plant1-b03-f02-r014-d04826");
}

TEST(JsonEncoder, EveryMessageOfARealFleetParsesWithTheSchemaInOrder) {
  const Config cfg = testing::BusyConfig();
  const Fleet fleet(cfg);
  JsonEncoder enc(fleet);
  const std::vector<std::string> top = {"device_id", "seq",     "ts",      "profile", "location",
                                        "readings",  "quality", "anomaly", "incident"};
  const std::vector<std::string> location = {"site", "building", "floor", "room"};
  int anomalies = 0, partial = 0;
  for (const Reading& r : testing::SimulatedReadings(cfg, fleet, 200, 30)) {
    const std::string_view line = enc.Encode(r);
    ASSERT_EQ(line.find_first_of(" \n"), std::string_view::npos) << line;
    const Json j = Json::parse(line);
    ASSERT_EQ(Keys(j), top) << line;
    EXPECT_EQ(j["device_id"].get<std::string>(), fleet.Id(r.device));
    EXPECT_TRUE(j["seq"].is_number_unsigned());
    EXPECT_EQ(j["seq"].get<uint64_t>(), r.seq);
    EXPECT_TRUE(j["ts"].is_string());
    EXPECT_EQ(j["profile"].get<std::string>(), fleet.ProfileOf(r.device).name);
    ASSERT_EQ(Keys(j["location"]), location);
    EXPECT_TRUE(j["location"]["floor"].is_number_unsigned());

    // Readings: the present sensors, in the reading's order, with the right value types.
    std::vector<std::string> expected_sensors;
    for (int i = 0; i < r.sensor_count; ++i) {
      if (r.sensors[i].present) expected_sensors.push_back(Name(r.sensors[i].type));
    }
    ASSERT_EQ(Keys(j["readings"]), expected_sensors) << line;
    for (int i = 0; i < r.sensor_count; ++i) {
      const SensorValue& s = r.sensors[i];
      if (!s.present) continue;
      const Json& v = j["readings"][Name(s.type)];
      if (s.type == SensorType::kSwitch) {
        EXPECT_EQ(Keys(v), std::vector<std::string>{"value"});
        EXPECT_EQ(v["value"], s.on);
      } else {
        EXPECT_EQ(Keys(v), (std::vector<std::string>{"value", "unit"}));
        EXPECT_EQ(v["value"].get<double>(), RoundToCents(s.value));
        EXPECT_EQ(v["unit"].get<std::string>(), Unit(s.type));
      }
    }
    EXPECT_EQ(j["quality"].get<std::string>(), r.Quality());
    partial += r.Quality() == std::string("partial");
    if (r.anomaly == AnomalyKind::kNone) {
      EXPECT_TRUE(j["anomaly"].is_null());
    } else {
      ++anomalies;
      EXPECT_EQ(j["anomaly"],
                (Json{{"kind", Name(r.anomaly)}, {"sensor", Name(r.anomaly_sensor)}}));
    }
  }
  EXPECT_GT(anomalies, 100);
  EXPECT_GT(partial, 10);
}

TEST(JsonEncoder, NumbersHaveExactlyTwoDecimals) {
  EXPECT_EQ(ValueText(24.8712), "24.87");
  EXPECT_EQ(ValueText(24.876), "24.88");
  EXPECT_EQ(ValueText(0.1), "0.10");
  EXPECT_EQ(ValueText(0), "0.00");
  EXPECT_EQ(ValueText(7), "7.00");
  EXPECT_EQ(ValueText(1049.999), "1050.00");
  EXPECT_EQ(ValueText(99.995001), "100.00");
}

TEST(JsonEncoder, NegativeNumbersRoundAwayFromZero) {
  EXPECT_EQ(ValueText(-3.1), "-3.10");
  EXPECT_EQ(ValueText(-10), "-10.00");
  EXPECT_EQ(ValueText(-0.016), "-0.02");
  EXPECT_EQ(ValueText(-0.006), "-0.01");
  EXPECT_EQ(ValueText(-9.999), "-10.00");
}

TEST(JsonEncoder, NeverWritesNegativeZero) {
  EXPECT_EQ(ValueText(-0.0), "0.00");
  EXPECT_EQ(ValueText(-0.004), "0.00");
  EXPECT_EQ(ValueText(-1e-300), "0.00");
  EXPECT_EQ(ValueText(-0.0049999), "0.00");
}

TEST(JsonEncoder, HugeAndNonFiniteValuesStayValidJson) {
  EXPECT_EQ(ValueText(1e20), "100000000000000000000.00");
  EXPECT_EQ(ValueText(-1e20), "-100000000000000000000.00");
  EXPECT_EQ(ValueText(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(ValueText(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(ValueText(std::numeric_limits<double>::max()).size(), 309u + 3u);
}

TEST(JsonEncoder, ValuesParseToTheRoundedDouble) {
  // The JSON text and RoundToCents (what Protobuf carries) are the same number.
  for (int i = -200'000; i <= 200'000; i += 7) {
    const double v = i * 0.00731;
    EXPECT_EQ(std::stod(ValueText(v)), RoundToCents(v)) << v;
  }
}

TEST(JsonEncoder, TimestampsOfKnownInstants) {
  EXPECT_EQ(TsText(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(TsText(1), "1970-01-01T00:00:00.001Z");
  EXPECT_EQ(TsText(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(TsText(testing::kSampleTs), "2026-11-21T10:00:00.123Z");
  EXPECT_EQ(TsText(951'827'696'007), "2000-02-29T12:34:56.007Z");    // leap (÷400)
  EXPECT_EQ(TsText(1'709'251'199'999), "2024-02-29T23:59:59.999Z");  // leap (÷4)
  EXPECT_EQ(TsText(1'709'251'200'000), "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(TsText(4'107'542'399'999), "2100-02-28T23:59:59.999Z");  // 2100: no Feb 29
  EXPECT_EQ(TsText(4'107'542'400'000), "2100-03-01T00:00:00.000Z");
  EXPECT_EQ(TsText(1'704'067'199'999), "2023-12-31T23:59:59.999Z");
  EXPECT_EQ(TsText(1'735'603'200'000), "2024-12-31T00:00:00.000Z");  // day 366
}

TEST(JsonEncoder, TimestampsOutsideFourDigitYearsAreClamped) {
  EXPECT_EQ(TsText(std::numeric_limits<int64_t>::max()), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(TsText(std::numeric_limits<int64_t>::min()), "0000-01-01T00:00:00.000Z");
}

TEST(JsonEncoder, CachedSecondFollowsTimeBothWays) {
  const Fleet fleet(BoilerConfig());
  JsonEncoder enc(fleet);
  Reading r = BoilerReading();
  const std::vector<std::pair<UnixMillis, const char*>> steps = {
      {999, "1970-01-01T00:00:00.999Z"},        {1000, "1970-01-01T00:00:01.000Z"},
      {1001, "1970-01-01T00:00:01.001Z"},       {999, "1970-01-01T00:00:00.999Z"},
      {-1000, "1969-12-31T23:59:59.000Z"},      {-1001, "1969-12-31T23:59:58.999Z"},
      {-999, "1969-12-31T23:59:59.001Z"},       {86'399'999, "1970-01-01T23:59:59.999Z"},
      {86'400'000, "1970-01-02T00:00:00.000Z"},
  };
  for (const auto& [ts, text] : steps) {
    r.ts = ts;
    EXPECT_EQ(Json::parse(enc.Encode(r))["ts"], text) << ts;
  }
}

TEST(JsonEncoder, DropoutOmitsTheSensorAndMarksPartial) {
  const Fleet fleet(BoilerConfig());
  JsonEncoder enc(fleet);
  Reading r = BoilerReading();
  r.sensors[1].present = false;
  r.anomaly = AnomalyKind::kDropout;
  r.anomaly_sensor = SensorType::kCurrent;
  const Json j = Json::parse(enc.Encode(r));
  EXPECT_EQ(Keys(j["readings"]), (std::vector<std::string>{"temperature", "switch"}));
  EXPECT_EQ(j["quality"], "partial");
  EXPECT_EQ(j["anomaly"], (Json{{"kind", "dropout"}, {"sensor", "current"}}));
}

TEST(JsonEncoder, AllSensorsDroppedLeavesEmptyReadings) {
  const Fleet fleet(BoilerConfig());
  JsonEncoder enc(fleet);
  Reading r = BoilerReading();
  for (auto& s : r.sensors) s.present = false;
  const std::string msg(enc.Encode(r));
  EXPECT_NE(msg.find(R"("readings":{},"quality":"partial")"), std::string::npos) << msg;
  EXPECT_TRUE(Json::accept(msg));
}

TEST(JsonEncoder, AnomalyIsAKindAndSensorObject) {
  const Fleet fleet(BoilerConfig());
  JsonEncoder enc(fleet);
  Reading r = BoilerReading();
  r.anomaly = AnomalyKind::kSpike;
  r.anomaly_sensor = SensorType::kTemperature;
  EXPECT_NE(enc.Encode(r).find(R"("anomaly":{"kind":"spike","sensor":"temperature"},)"),
            std::string_view::npos);
  r.anomaly = AnomalyKind::kChatter;
  r.anomaly_sensor = SensorType::kSwitch;
  EXPECT_EQ(Json::parse(enc.Encode(r))["anomaly"],
            (Json{{"kind", "chatter"}, {"sensor", "switch"}}));
  r.anomaly = AnomalyKind::kNone;
  EXPECT_TRUE(Json::parse(enc.Encode(r))["anomaly"].is_null());
}

TEST(JsonEncoder, IncidentIsAnIdKindScopeAndPhaseObject) {
  const Fleet fleet(BoilerConfig());
  JsonEncoder enc(fleet);
  Reading r = BoilerReading();
  r.incident = {IncidentPhase::kActive, IncidentKind::kHvacFailure, ScopeLevel::kFloor,
                0x0123'4567'89ab'cdefULL};
  EXPECT_NE(enc.Encode(r).find(R"("incident":{"id":"0123456789abcdef","kind":"hvac_failure",)"
                               R"("scope":"b03-f02","phase":"active"}})"),
            std::string_view::npos)
      << enc.Encode(r);
  const std::map<ScopeLevel, std::string> scopes = {{ScopeLevel::kSite, "plant1"},
                                                    {ScopeLevel::kBuilding, "b03"},
                                                    {ScopeLevel::kFloor, "b03-f02"},
                                                    {ScopeLevel::kRoom, "b03-f02-r014"}};
  for (const auto& [level, name] : scopes) {
    r.incident = {IncidentPhase::kRecovery, IncidentKind::kPowerLoss, level, 7};
    const Json j = Json::parse(enc.Encode(r));
    EXPECT_EQ(j["incident"]["scope"], name);
    EXPECT_EQ(j["incident"]["id"], "0000000000000007");
    EXPECT_EQ(j["incident"]["kind"], "power_loss");
    EXPECT_EQ(j["incident"]["phase"], "recovery");
  }
}

TEST(JsonEncoder, SwitchOffIsFalse) {
  const Fleet fleet(BoilerConfig());
  JsonEncoder enc(fleet);
  Reading r = BoilerReading();
  r.sensors[2] = testing::Switch(false);
  EXPECT_NE(enc.Encode(r).find(R"("switch":{"value":false})"), std::string_view::npos);
}

TEST(JsonEncoder, EscapesSiteAndProfileNames) {
  Config cfg = BoilerConfig();
  cfg.fleet.site = "pl\"ant\\1\x01";
  cfg.fleet.profiles[0].name = "boiler \"A\"\n\troom/\x1f";
  const Fleet fleet(cfg);
  JsonEncoder enc(fleet);
  const std::string msg(enc.Encode(BoilerReading()));
  EXPECT_NE(msg.find(R"("site":"pl\"ant\\1\u0001")"), std::string::npos) << msg;
  EXPECT_NE(msg.find(R"("profile":"boiler \"A\"\n\troom/\u001f")"), std::string::npos) << msg;
  const Json j = Json::parse(msg);
  EXPECT_EQ(j["location"]["site"].get<std::string>(), cfg.fleet.site);
  EXPECT_EQ(j["profile"].get<std::string>(), cfg.fleet.profiles[0].name);
  EXPECT_EQ(j["device_id"].get<std::string>(), fleet.Id(testing::kSampleDevice));
}

TEST(JsonEncoder, EscapingCoversEveryControlCharacter) {
  std::string raw;
  for (int c = 0; c < 0x20; ++c) raw.push_back(static_cast<char>(c));
  raw += "\"\\/ok\x7f\xc3\xa9";  // '/', DEL and UTF-8 pass through
  const std::string quoted = "\"" + JsonEscaped(raw) + "\"";
  EXPECT_EQ(Json::parse(quoted).get<std::string>(), raw);
  EXPECT_EQ(JsonEscaped("\b\f\n\r\t\x02"), R"(\b\f\n\r\t\u0002)");
}

TEST(JsonEncoder, LongNamesGrowTheBufferOnce) {
  Config cfg = BoilerConfig();
  cfg.fleet.site = std::string(60, '"');  // escapes to 120 chars, in the id too
  cfg.fleet.profiles[0].name = std::string(500, '\\');
  const Fleet fleet(cfg);
  JsonEncoder enc(fleet);
  const Json j = Json::parse(enc.Encode(BoilerReading()));
  EXPECT_EQ(j["profile"].get<std::string>(), cfg.fleet.profiles[0].name);
  EXPECT_EQ(j["device_id"].get<std::string>(), fleet.Id(testing::kSampleDevice));
}

}  // namespace
}  // namespace iiot
