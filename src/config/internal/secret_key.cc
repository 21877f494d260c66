// Secret keys and the files they can be read from instead (admin.token / admin.token_file,
// kafka.sasl_password / kafka.sasl_password_file): one way to parse, check, show and read
// them, so that no message and no dump ever holds a secret's value.
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include "base/file_read.h"
#include "config/internal/key_kinds.h"
#include "config/internal/sources.h"

namespace iiot::config_keys {

using text::Quote;
using text::Trim;

Key SecretKey(const Secret& s, std::string doc) {
  Key key;
  key.path = s.path;
  key.type = "secret string";
  key.allowed = std::string(s.rule) + ", or empty";
  key.doc = std::move(doc);
  const std::string problem =
      fmt::format("the value is not a valid {} ({}; the value is not shown)", s.noun, s.rule);
  key.assign = [problem, valid = s.valid, value = s.value](Config& cfg, const SourceValue& v) {
    std::string text(Trim(ScalarText(v, "string", "")));
    if (!valid(text)) throw ValueError(problem);
    value.get(cfg) = std::move(text);
  };
  key.check = [problem, valid = s.valid, value = s.value](const Config& cfg) {
    if (!valid(value.read(cfg))) throw ValueError(problem);
  };
  // A secret read from its file shows as "": the dump then loads back (the file is read
  // again) instead of failing on both keys being set.
  key.show = [value = s.value, file = s.file](const Config& cfg) {
    const bool hidden = value.read(cfg).empty() || !file.read(cfg).empty();
    return text::YamlQuote(hidden ? "" : "<redacted>");
  };
  key.same = [value = s.value](const Config& a, const Config& b) {
    return value.read(a) == value.read(b);
  };
  return key;
}

void ApplySecretFile(const Secret& s, Config& cfg, const Provenance& provenance) {
  const std::string file_key = s.path + "_file";
  const std::string& path = s.file.read(cfg);
  if (path.empty()) return;
  const auto it = provenance.find(file_key);
  const std::string where = it != provenance.end() ? it->second : "";
  if (!s.value.read(cfg).empty()) {
    throw ConfigError(file_key, where,
                      fmt::format("cannot be set together with {} (set one of them)", s.path));
  }
  std::string text = ReadSecretFile(file_key, path, where);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' ||
                           text.back() == '\r')) {
    text.pop_back();
  }
  if (text.empty()) {
    throw ConfigError(file_key, where, fmt::format("{} holds no {}", Quote(path), s.noun));
  }
  if (!s.valid(text)) {
    throw ConfigError(file_key, where,
                      fmt::format("{} does not hold a valid {} ({}; the content is not shown)",
                                  Quote(path), s.noun, s.rule));
  }
  s.value.get(cfg) = std::move(text);
}

std::string ReadSecretFile(const std::string& key_path, const std::string& path,
                           const std::string& where) {
  constexpr size_t kMaxFileBytes = 64u << 10;
  Result<std::string> text = ReadRegularFile(path, kMaxFileBytes);
  if (!text) throw ConfigError(key_path, where, text.error().message);
  return std::move(*text);
}

}  // namespace iiot::config_keys
