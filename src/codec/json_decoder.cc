// The JSON half of codec/decoder.h, on simdjson's On-Demand API: one pass over the
// message in its own order, each field checked and copied as it is met, every value of an
// unknown field walked so that the whole message must be valid JSON, as before.
#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "base/iso_time.h"
#include "codec/decoder_internal.h"

namespace iiot::decoder_internal {
namespace {

namespace od = simdjson::ondemand;

// Unknown fields nested deeper than this are refused (simdjson's own default limit).
constexpr int kMaxDepth = 1024;
// The first buffers are sized for this, so that a warm-up of messages of a few hundred
// bytes each allocates once.
constexpr size_t kInitialCapacity = 4096;
// Buffers grown past this by a freak message are let go before the next one.
constexpr size_t kMaxKeptCapacity = 64 * 1024;

// One thread's parser and the copy of the input it reads: simdjson reads up to
// SIMDJSON_PADDING bytes past the end of a document, which the caller's buffer may not have.
struct Scratch {
  od::parser parser;
  std::vector<char> padded;
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

bool NotJson(std::string* error, simdjson::error_code e) {
  return Fail(error, std::string("not JSON: ") + simdjson::error_message(e));
}

// A value of the wrong type is the schema's reason; anything else is a syntax error.
bool WrongTypeOr(std::string* error, simdjson::error_code e, const std::string& reason) {
  if (e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_OUT_OF_RANGE) {
    return Fail(error, reason);
  }
  return NotJson(error, e);
}

std::string NotAString(std::string_view key) {
  return "\"" + std::string(key) + "\" is missing or not a string";
}

std::string NotAnUnsigned(std::string_view key) {
  return "\"" + std::string(key) + "\" is missing or not an unsigned integer";
}

// What simdjson's "wrong type" means for a value whose first character said `type`.
simdjson::error_code Malformed(od::json_type type) {
  switch (type) {
    case od::json_type::number:
      return simdjson::NUMBER_ERROR;
    case od::json_type::string:
      return simdjson::STRING_ERROR;
    case od::json_type::boolean:
      return simdjson::T_ATOM_ERROR;
    case od::json_type::null:
      return simdjson::N_ATOM_ERROR;
    default:
      return simdjson::TAPE_ERROR;
  }
}

// null, read as such; false and the reason if `v` (whose first character is 'n') is not.
bool ReadNull(od::value& v, std::string* error) {
  bool is_null = false;
  if (v.is_null().get(is_null) || !is_null) return NotJson(error, simdjson::N_ATOM_ERROR);
  return true;
}

// Checks that `v` is valid JSON, whatever it holds (the value of an unknown field).
bool Walk(od::value& v, int depth, std::string* error) {
  if (depth > kMaxDepth) return NotJson(error, simdjson::DEPTH_ERROR);
  od::json_type type;
  if (const auto e = v.type().get(type)) return NotJson(error, e);
  simdjson::error_code e = simdjson::SUCCESS;
  switch (type) {
    case od::json_type::array: {
      od::array array;
      if ((e = v.get_array().get(array))) break;
      for (auto item : array) {
        od::value element;
        if ((e = std::move(item).get(element))) break;
        if (!Walk(element, depth + 1, error)) return false;
      }
      break;
    }
    case od::json_type::object: {
      od::object object;
      if ((e = v.get_object().get(object))) break;
      for (auto item : object) {
        od::field field;
        std::string_view key;
        if ((e = std::move(item).get(field)) || (e = field.unescaped_key().get(key))) break;
        if (!Walk(field.value(), depth + 1, error)) return false;
      }
      break;
    }
    case od::json_type::number: {
      od::number number;
      e = v.get_number().get(number);
      break;
    }
    case od::json_type::string: {
      std::string_view text;
      e = v.get_string().get(text);
      break;
    }
    case od::json_type::boolean: {
      bool flag;
      e = v.get_bool().get(flag);
      break;
    }
    case od::json_type::null: {
      bool is_null = false;
      e = v.is_null().get(is_null);
      if (!e && !is_null) e = simdjson::N_ATOM_ERROR;
      break;
    }
  }
  return e ? NotJson(error, e == simdjson::INCORRECT_TYPE ? Malformed(type) : e) : true;
}

// Most strings hold no escape, and are then their own bytes in the input, between their
// quotes (stage 1 checked the quotes, the UTF-8 and that no control character is left
// unescaped). True and the string for such one, whose contents start at `start`;
// false at its first backslash.
bool Unescaped(const char* start, std::string_view* out) {
  const char* end = start;
  while (*end != '"' && *end != '\\') ++end;
  *out = {start, static_cast<size_t>(end - start)};
  return *end == '"';
}

// A field's key; only a key with an escape is unescaped (by the parser).
bool KeyOf(od::field& field, std::string_view* key, std::string* error) {
  if (Unescaped(field.key().raw(), key)) return true;
  if (const auto e = field.unescaped_key().get(*key)) return NotJson(error, e);
  return true;
}

// The fields of an object, each handed to on_field(key, value), which returns false on a
// failure it has reported. On a syntax error, reports it and returns false.
template <typename OnField>
bool ForEachField(od::object& object, std::string* error, OnField on_field) {
  for (auto item : object) {
    od::field field;
    std::string_view key;
    if (const auto e = std::move(item).get(field)) return NotJson(error, e);
    if (!KeyOf(field, &key, error) || !on_field(key, field.value())) return false;
  }
  return true;
}

// A string value, valid until the next message; only one with an escape is unescaped
// (by the parser). Otherwise the value is left unread, and the object's iteration skips it.
bool ReadString(od::value& v, std::string_view* out, std::string_view key, std::string* error) {
  const char* const token = v.raw_json_token().data();
  if (*token == '"' && Unescaped(token + 1, out)) return true;
  if (const auto e = v.get_string().get(*out)) return WrongTypeOr(error, e, NotAString(key));
  return true;
}

bool GetString(od::value& v, std::string_view key, std::string* out, std::string* error) {
  std::string_view text;
  if (!ReadString(v, &text, key, error)) return false;
  out->assign(text);
  return true;
}

bool GetUnsigned(od::value& v, std::string_view key, uint64_t max, uint64_t* out,
                 std::string* error) {
  uint64_t n = 0;
  if (const auto e = v.get_uint64().get(n)) return WrongTypeOr(error, e, NotAnUnsigned(key));
  if (n > max) return Fail(error, NotAnUnsigned(key));
  *out = n;
  return true;
}

// Opens `v` as an object; a value of another type fails with `reason`.
bool GetObject(od::value& v, od::object* out, const char* reason, std::string* error) {
  if (const auto e = v.get_object().get(*out)) return WrongTypeOr(error, e, reason);
  return true;
}

// null (true, *is_null set) or an object (true, *object open), or a failure with `reason`.
bool GetNullOrObject(od::value& v, bool* is_null, od::object* object, const char* reason,
                     std::string* error) {
  od::json_type type;
  if (const auto e = v.type().get(type)) return NotJson(error, e);
  *is_null = type == od::json_type::null;
  if (*is_null) return ReadNull(v, error);
  if (type != od::json_type::object) return Fail(error, reason);
  return GetObject(v, object, reason, error);
}

bool DecodeLocation(od::value& v, DecodedReading* out, std::string* error) {
  od::object object;
  if (!GetObject(v, &object, "\"location\" is missing or not an object", error)) return false;
  bool site = false, building = false, floor = false, room = false;
  uint64_t floor_number = 0;
  const bool ok = ForEachField(object, error, [&](std::string_view key, od::value& field) {
    if (key == "site") return site = GetString(field, key, &out->site, error);
    if (key == "building") return building = GetString(field, key, &out->building, error);
    if (key == "floor") {
      return floor = GetUnsigned(field, key, std::numeric_limits<uint32_t>::max(), &floor_number,
                                 error);
    }
    if (key == "room") return room = GetString(field, key, &out->room, error);
    return Walk(field, 2, error);
  });
  if (!ok) return false;
  if (!site) return Fail(error, NotAString("site"));
  if (!building) return Fail(error, NotAString("building"));
  if (!floor) return Fail(error, NotAnUnsigned("floor"));
  if (!room) return Fail(error, NotAString("room"));
  out->floor = static_cast<uint32_t>(floor_number);
  return true;
}

bool DecodeSensor(std::string_view name, od::value& body, DecodedSensor* s, std::string* error) {
  if (!StartSensor(name, s, error)) return false;
  const auto no_value = [s] { return "readings." + s->name + " has no \"value\""; };
  od::object object;
  if (const auto e = body.get_object().get(object)) return WrongTypeOr(error, e, no_value());
  const bool is_switch = s->type == SensorType::kSwitch;
  bool value = false, unit = false;
  const bool ok = ForEachField(object, error, [&](std::string_view key, od::value& field) {
    if (key == "value" && is_switch) {
      if (const auto e = field.get_bool().get(s->on)) {
        return WrongTypeOr(error, e, "readings.switch.value is not a boolean");
      }
      s->value = s->on ? 1.0 : 0.0;
      return value = true;
    }
    if (key == "value") {
      od::json_type type;
      if (const auto e = field.type().get(type)) return NotJson(error, e);
      if (type == od::json_type::number) {
        if (field.get_double().get(s->value)) return NotJson(error, simdjson::NUMBER_ERROR);
      } else if (type == od::json_type::null) {
        if (!ReadNull(field, error)) return false;
        s->value = std::numeric_limits<double>::quiet_NaN();
      } else {
        return Fail(error, "readings." + s->name + ".value is not a number");
      }
      s->on = false;
      return value = true;
    }
    if (key == "unit" && !is_switch) return unit = GetString(field, key, &s->unit, error);
    return Walk(field, 3, error);
  });
  if (!ok) return false;
  if (!value) return Fail(error, no_value());
  if (is_switch) {
    s->unit.clear();
  } else if (!unit) {
    return Fail(error, NotAString("unit"));
  }
  return true;
}

// The sensors in message order, into out->readings (reusing its elements).
bool DecodeReadings(od::value& v, DecodedReading* out, std::string* error) {
  od::object object;
  if (!GetObject(v, &object, "\"readings\" is missing or not an object", error)) return false;
  size_t n = 0;
  const bool ok = ForEachField(object, error, [&](std::string_view name, od::value& body) {
    if (n == out->readings.size()) out->readings.emplace_back();
    return DecodeSensor(name, body, &out->readings[n++], error);
  });
  out->readings.resize(n);
  return ok;
}

bool DecodeAnomaly(od::value& v, DecodedReading* out, std::string* error) {
  out->anomaly_kind.clear();
  out->anomaly_sensor.clear();
  bool is_null = false;
  od::object object;
  if (!GetNullOrObject(v, &is_null, &object, "\"anomaly\" is missing or neither null nor an object",
                       error)) {
    return false;
  }
  if (is_null) return true;
  bool kind = false, sensor = false;
  const bool ok = ForEachField(object, error, [&](std::string_view key, od::value& field) {
    if (key == "kind") return kind = GetString(field, key, &out->anomaly_kind, error);
    if (key == "sensor") return sensor = GetString(field, key, &out->anomaly_sensor, error);
    return Walk(field, 2, error);
  });
  if (!ok) return false;
  if (!kind) return Fail(error, NotAString("kind"));
  if (!sensor) return Fail(error, NotAString("sensor"));
  return true;
}

void ClearIncident(DecodedReading* out) {
  out->incident_id.clear();
  out->incident_kind.clear();
  out->incident_scope.clear();
  out->incident_phase.clear();
}

bool DecodeIncident(od::value& v, DecodedReading* out, std::string* error) {
  ClearIncident(out);
  bool is_null = false;
  od::object object;
  if (!GetNullOrObject(v, &is_null, &object, "\"incident\" is neither null nor an object", error)) {
    return false;
  }
  if (is_null) return true;
  bool id = false, kind = false, scope = false, phase = false;
  const bool ok = ForEachField(object, error, [&](std::string_view key, od::value& field) {
    if (key == "id") return id = GetString(field, key, &out->incident_id, error);
    if (key == "kind") return kind = GetString(field, key, &out->incident_kind, error);
    if (key == "scope") return scope = GetString(field, key, &out->incident_scope, error);
    if (key == "phase") return phase = GetString(field, key, &out->incident_phase, error);
    return Walk(field, 2, error);
  });
  if (!ok) return false;
  if (!id) return Fail(error, NotAString("id"));
  if (!kind) return Fail(error, NotAString("kind"));
  if (!scope) return Fail(error, NotAString("scope"));
  if (!phase) return Fail(error, NotAString("phase"));
  return true;
}

}  // namespace

bool DecodeJson(std::string_view bytes, DecodedReading* out, std::string* error) {
  constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";  // skipped, as JSON parsers do
  if (bytes.starts_with(kByteOrderMark)) bytes.remove_prefix(kByteOrderMark.size());
  Scratch& scratch = ThreadScratch();
  if (scratch.padded.size() > kMaxKeptCapacity) {
    scratch.parser = od::parser();
    scratch.padded = {};
  }
  const size_t capacity = bytes.size() + simdjson::SIMDJSON_PADDING;
  if (scratch.padded.size() < capacity) {
    scratch.padded.resize(std::max(capacity, kInitialCapacity));
    if (const auto e = scratch.parser.allocate(scratch.padded.size())) return NotJson(error, e);
  }
  std::memcpy(scratch.padded.data(), bytes.data(), bytes.size());
  // Clean padding: a '}' left there by a longer message would make simdjson scan the
  // whole document again to check that its braces balance.
  std::memset(scratch.padded.data() + bytes.size(), 0, simdjson::SIMDJSON_PADDING);

  od::document doc;
  if (const auto e = scratch.parser
                         .iterate(simdjson::padded_string_view(scratch.padded.data(), bytes.size(),
                                                               scratch.padded.size()))
                         .get(doc)) {
    return NotJson(error, e);
  }
  od::object top;
  if (const auto e = doc.get_object().get(top)) {
    return e == simdjson::INCORRECT_TYPE ? Fail(error, "not a JSON object") : NotJson(error, e);
  }

  ClearIncident(out);  // optional: messages from before incidents have no such field
  bool device_id = false, seq = false, ts = false, profile = false, quality = false;
  bool location = false, readings = false, anomaly = false;
  std::string_view ts_text;
  const bool ok = ForEachField(top, error, [&](std::string_view key, od::value& v) {
    if (key == "device_id") return device_id = GetString(v, key, &out->device_id, error);
    if (key == "seq") {
      return seq = GetUnsigned(v, key, std::numeric_limits<uint64_t>::max(), &out->seq, error);
    }
    if (key == "ts") return ts = ReadString(v, &ts_text, key, error);
    if (key == "profile") return profile = GetString(v, key, &out->profile, error);
    if (key == "location") return location = DecodeLocation(v, out, error);
    if (key == "readings") return readings = DecodeReadings(v, out, error);
    if (key == "quality") return quality = GetString(v, key, &out->quality, error);
    if (key == "anomaly") return anomaly = DecodeAnomaly(v, out, error);
    if (key == "incident") return DecodeIncident(v, out, error);
    return Walk(v, 1, error);
  });
  if (!ok) return false;
  // The object must be the whole message ("{...}x" and two messages in one are not JSON).
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {
    return Fail(error, "not JSON: more after the object");
  }

  if (!device_id) return Fail(error, NotAString("device_id"));
  if (!seq) return Fail(error, NotAnUnsigned("seq"));
  if (!ts) return Fail(error, NotAString("ts"));
  if (!profile) return Fail(error, NotAString("profile"));
  if (!quality) return Fail(error, NotAString("quality"));
  if (!ParseIsoMillis(ts_text, &out->ts)) {
    return Fail(error, "ts \"" + std::string(ts_text) + "\" is not YYYY-MM-DDTHH:MM:SS.mmmZ");
  }
  if (!location) return Fail(error, "\"location\" is missing or not an object");
  if (!readings) return Fail(error, "\"readings\" is missing or not an object");
  if (!anomaly) return Fail(error, "\"anomaly\" is missing or neither null nor an object");
  return Validate(*out, error);
}

}  // namespace iiot::decoder_internal
