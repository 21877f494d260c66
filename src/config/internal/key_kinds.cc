#include "config/internal/key_kinds.h"

#include <chrono>
#include <stdexcept>

#include "config/config_loader.h"

namespace iiot::config_keys {

namespace {

using text::FormatReal;
using text::ParseStatus;
using text::Quote;
using text::Shorten;
using text::Trim;
using text::WithArticle;

const char* KindOf(const YAML::Node& node) {
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  return "nothing";
}

std::string OutOfRange(std::string_view value, uint64_t lo, uint64_t hi) {
  return fmt::format("{} is out of range {}..{}", value, lo, hi);
}

std::string DurationRange(Millis lo, Millis hi) {
  return fmt::format("{}..{}", FormatDuration(lo), FormatDuration(hi));
}

// Parses an unsigned integer in [lo, hi]; the message shows the text for numbers beyond
// the type (negative, overflow) and the value otherwise.
uint64_t ReadUnsigned(const SourceValue& v, uint64_t lo, uint64_t hi) {
  const std::string text = ScalarText(v, "unsigned integer");
  uint64_t n = 0;
  switch (text::ParseUnsigned(text, n)) {
    case ParseStatus::kOk:
      break;
    case ParseStatus::kOutOfRange:
      throw ValueError(OutOfRange(Shorten(Trim(text)), lo, hi));
    case ParseStatus::kSigned:
      throw ValueError(fmt::format("{} has a sign: an unsigned integer is digits only ({}..{})",
                                   Quote(Trim(text)), lo, hi));
    default:
      throw ValueError(fmt::format("{} is not an unsigned integer", Quote(text)));
  }
  if (n < lo || n > hi) throw ValueError(OutOfRange(std::to_string(n), lo, hi));
  return n;
}

template <class T>
Key MakeUnsigned(std::string path, Slot<T> slot, T lo, T hi, std::string doc) {
  Key key;
  key.path = std::move(path);
  key.type = "unsigned integer";
  key.allowed = fmt::format("{}..{}", lo, hi);
  key.doc = std::move(doc);
  key.assign = [slot, lo, hi](Config& cfg, const SourceValue& v) {
    slot.get(cfg) = static_cast<T>(ReadUnsigned(v, lo, hi));
  };
  key.check = [slot, lo, hi](const Config& cfg) {
    const T n = slot.read(cfg);
    if (n < lo || n > hi) throw ValueError(OutOfRange(std::to_string(n), lo, hi));
  };
  key.show = [slot](const Config& cfg) { return std::to_string(slot.read(cfg)); };
  return key;
}

Millis ReadDuration(const std::string& text) {
  Result<Millis> d = ParseDuration(text);
  if (!d) throw ValueError(d.error().message);
  return *d;
}

void CheckDuration(Millis d, Millis lo, Millis hi) {
  if (d < lo || d > hi) {
    throw ValueError(
        fmt::format("{} is out of range {}", FormatDuration(d), DurationRange(lo, hi)));
  }
}

}  // namespace

std::string RealRange::Describe() const {
  return fmt::format("{}{}, {}]", lo_open ? "(" : "[", FormatReal(lo), FormatReal(hi));
}

std::string ScalarText(const SourceValue& v, std::string_view type,
                       std::optional<std::string_view> null_text) {
  if (v.node == nullptr) return std::string(v.text);
  const YAML::Node& node = *v.node;
  if (node.IsScalar()) return node.Scalar();
  if (node.IsNull() || !node.IsDefined()) {
    if (null_text) return std::string(*null_text);
    throw ValueError(fmt::format("missing value (expected {})", WithArticle(type)));
  }
  throw ValueError(fmt::format("expected {}, got {}", WithArticle(type), KindOf(node)));
}

YAML::Node ParseInlineYaml(std::string_view text) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw ValueError(fmt::format("{} is not valid YAML: {}", Quote(text), e.msg));
  }
}

bool IsEmptyValue(const SourceValue& v) {
  if (v.node == nullptr) return Trim(v.text).empty();
  return v.node->IsNull() || !v.node->IsDefined();
}

Key UnsignedKey(std::string path, Slot<uint64_t> slot, uint64_t lo, uint64_t hi, std::string doc) {
  return MakeUnsigned(std::move(path), std::move(slot), lo, hi, std::move(doc));
}

Key UnsignedKey(std::string path, Slot<uint32_t> slot, uint32_t lo, uint32_t hi, std::string doc) {
  return MakeUnsigned(std::move(path), std::move(slot), lo, hi, std::move(doc));
}

Key RealKey(std::string path, Slot<double> slot, RealRange range, std::string doc) {
  Key key;
  key.path = std::move(path);
  key.type = "number";
  key.allowed = range.Describe();
  key.doc = std::move(doc);
  key.assign = [slot, range](Config& cfg, const SourceValue& v) {
    const std::string text = ScalarText(v, "number");
    double x = 0;
    switch (text::ParseReal(text, x)) {
      case ParseStatus::kOk:
        break;
      case ParseStatus::kNotFinite:
        throw ValueError(fmt::format("{} is not a finite number", Quote(text)));
      default:
        throw ValueError(fmt::format("{} is not a number", Quote(text)));
    }
    if (!range.Contains(x)) {
      throw ValueError(fmt::format("{} is out of range {}", FormatReal(x), range.Describe()));
    }
    slot.get(cfg) = x;
  };
  key.check = [slot, range](const Config& cfg) {
    const double x = slot.read(cfg);
    if (!range.Contains(x)) {  // also false for NaN
      throw ValueError(fmt::format("{} is out of range {}", FormatReal(x), range.Describe()));
    }
  };
  key.show = [slot](const Config& cfg) { return FormatReal(slot.read(cfg)); };
  return key;
}

Key BoolKey(std::string path, Slot<bool> slot, std::string doc) {
  Key key;
  key.path = std::move(path);
  key.type = "boolean";
  key.allowed = "true|false";
  key.doc = std::move(doc);
  key.assign = [slot](Config& cfg, const SourceValue& v) {
    const std::string text = ScalarText(v, "boolean");
    const std::optional<bool> b = text::ParseBool(text);
    if (!b) throw ValueError(fmt::format("{} is not a boolean (true|false)", Quote(text)));
    slot.get(cfg) = *b;
  };
  key.check = [](const Config&) {};
  key.show = [slot](const Config& cfg) { return std::string(slot.read(cfg) ? "true" : "false"); };
  return key;
}

Key DurationKey(std::string path, Slot<Millis> slot, Millis lo, Millis hi, std::string doc) {
  Key key;
  key.path = std::move(path);
  key.type = "duration";
  key.allowed = DurationRange(lo, hi);
  key.doc = std::move(doc);
  key.assign = [slot, lo, hi](Config& cfg, const SourceValue& v) {
    const Millis d = ReadDuration(ScalarText(v, "duration"));
    CheckDuration(d, lo, hi);
    slot.get(cfg) = d;
  };
  key.check = [slot, lo, hi](const Config& cfg) { CheckDuration(slot.read(cfg), lo, hi); };
  key.show = [slot](const Config& cfg) { return FormatDuration(slot.read(cfg)); };
  return key;
}

Key OptionalDurationKey(std::string path, Slot<std::optional<Millis>> slot, Millis lo, Millis hi,
                        std::string doc) {
  Key key;
  key.path = std::move(path);
  key.type = "duration";
  key.allowed = DurationRange(lo, hi) + ", or 0 for none";
  key.doc = std::move(doc);
  key.assign = [slot, lo, hi](Config& cfg, const SourceValue& v) {
    if (IsEmptyValue(v)) {
      slot.get(cfg).reset();
      return;
    }
    const Millis d = ReadDuration(ScalarText(v, "duration"));
    if (d.count() == 0) {
      slot.get(cfg).reset();
      return;
    }
    CheckDuration(d, lo, hi);
    slot.get(cfg) = d;
  };
  key.check = [slot, lo, hi](const Config& cfg) {
    if (const auto& d = slot.read(cfg)) CheckDuration(*d, lo, hi);
  };
  key.show = [slot](const Config& cfg) {
    const auto& d = slot.read(cfg);
    return d ? FormatDuration(*d) : std::string("0");
  };
  return key;
}

Key TimestampKey(std::string path, Slot<std::optional<UnixMillis>> slot, bool now_is_unset,
                 std::string doc) {
  Key key;
  key.path = std::move(path);
  key.type = "timestamp";
  key.allowed = now_is_unset ? "ISO-8601 UTC, a date, or now" : "ISO-8601 UTC, a date, now, or ~";
  key.doc = std::move(doc);
  key.assign = [slot, now_is_unset](Config& cfg, const SourceValue& v) {
    if (IsEmptyValue(v)) {
      slot.get(cfg).reset();
      return;
    }
    const std::string text = ScalarText(v, "timestamp");
    Result<std::optional<UnixMillis>> parsed = ParseTimestamp(text);
    if (!parsed) throw ValueError(parsed.error().message);
    std::optional<UnixMillis> t = *parsed;
    if (!t && !now_is_unset) {
      t = std::chrono::duration_cast<Millis>(std::chrono::system_clock::now().time_since_epoch())
              .count();
    }
    slot.get(cfg) = t;
  };
  key.check = [](const Config&) {};
  key.show = [slot, now_is_unset](const Config& cfg) {
    const auto& t = slot.read(cfg);
    if (t) return FormatTimestamp(*t);
    return std::string(now_is_unset ? "now" : "~");
  };
  return key;
}

Key TextKey(std::string path, Slot<std::string> slot, TextRule rule, std::string allowed,
            std::string doc) {
  Key key;
  key.path = std::move(path);
  key.type = "string";
  key.allowed = std::move(allowed);
  key.doc = std::move(doc);
  key.assign = [slot, rule](Config& cfg, const SourceValue& v) {
    std::string text(Trim(ScalarText(v, "string", "")));
    if (auto why = rule(text)) throw ValueError(fmt::format("{} {}", Quote(text), *why));
    slot.get(cfg) = std::move(text);
  };
  key.check = [slot, rule](const Config& cfg) {
    const std::string& text = slot.read(cfg);
    if (auto why = rule(text)) throw ValueError(fmt::format("{} {}", Quote(text), *why));
  };
  key.show = [slot](const Config& cfg) { return text::YamlQuote(slot.read(cfg)); };
  return key;
}

Key PathKey(std::string path, Slot<std::string> slot, std::string doc) {
  const TextRule rule = [](std::string_view s) -> std::optional<std::string> {
    if (text::HasControl(s)) return "is not a valid path (control characters)";
    return std::nullopt;
  };
  return TextKey(std::move(path), std::move(slot), rule, "a path", std::move(doc));
}

}  // namespace iiot::config_keys
