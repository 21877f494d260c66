// JsonEncoder: writes a Reading as the one-line JSON message of docs/message.md, fields in
// a fixed order, no spaces:
//   {"device_id":"plant1-b03-f02-r014-d00042","seq":1234,"ts":"2026-11-21T10:00:00.123Z",
//    "profile":"boiler-room","location":{"site":"plant1","building":"b03","floor":2,
//    "room":"r014"},"readings":{"temperature":{"value":24.87,"unit":"C"},
//    "switch":{"value":true}},"quality":"good","anomaly":null}
// Numbers carry exactly two decimals (rounding.h); dropped-out sensors are omitted.
//
// Written by hand into one reused buffer: the strings from the config (site, profile
// names) are escaped once at construction, the date-time part of "ts" is cached per
// second, and steady state allocates nothing. Not thread-safe: one per worker.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/iso_time.h"
#include "codec/encoder.h"

namespace iiot {

class JsonEncoder final : public Encoder {
 public:
  // fleet must outlive the encoder.
  explicit JsonEncoder(const Fleet& fleet);

  std::string_view Encode(const Reading& r) override;

 private:
  char* WriteSensor(const SensorValue& s, char* p) const;
  char* WriteIncident(const Reading& r, char* p) const;
  char* WriteTimestamp(UnixMillis ts, char* p);

  // Constant after construction.
  // Per profile: `","profile":"<name>","location":{"site":"<site>","building":"`.
  std::vector<std::string> profile_prefix_;
  // Per sensor type: `"temperature":{"value":` and `,"unit":"C"}` (switch: `}`).
  std::array<Piece, kSensorTypeCount> sensor_head_, sensor_tail_;
  // The site needs no JSON escape, so neither does any device id (its other parts are
  // generated: letters, digits and '-').
  bool site_plain_ = false;
  // Per [kind][sensor]: `{"kind":"spike","sensor":"temperature"}`.
  std::vector<std::string> anomaly_;
  // Bound on a message's size apart from its id, building and room (escaped).
  size_t fixed_bound_ = 0;

  // Reused by every call.
  std::string buf_;
  int64_t cached_second_;                              // the second cached_date_ shows
  std::array<char, kIsoSecondsLength> cached_date_{};  // "YYYY-MM-DDTHH:MM:SS"
};

// Appends s as the inside of a JSON string (RFC 8259 escapes: \" \\ \n \r \t \b \f, \u00XX
// for other control characters; other bytes as they are). Writes at most 6 * s.size()
// chars; returns the end.
char* WriteJsonEscaped(std::string_view s, char* out);
std::string JsonEscaped(std::string_view s);

}  // namespace iiot
