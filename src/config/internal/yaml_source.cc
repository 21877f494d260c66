// The YAML file source: reads the file, walks its sections against the key table, and
// reports problems as "file:line:col: key.path: message" (yaml-cpp marks are 0-based;
// messages are 1-based).
#include <fmt/format.h>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>

#include "base/edit_distance.h"
#include "base/file_read.h"
#include "base/text.h"
#include "config/internal/key_registry.h"
#include "config/internal/sources.h"

namespace iiot::config_keys {

namespace {

constexpr size_t kMaxFileBytes = 16u << 20;

std::string Where(const std::string& name, const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0) return name;
  return fmt::format("{}:{}:{}", name, mark.line + 1, mark.column + 1);
}

const char* Describe(const YAML::Node& node) {
  if (node.IsMap()) return "a map";
  if (node.IsSequence()) return "a list";
  return "a single value";
}

std::string ReadFile(const std::string& path) {
  Result<std::string> text = ReadRegularFile(path, kMaxFileBytes, "the config file");
  if (!text) throw ConfigError("", path, text.error().message);
  return std::move(*text);
}

// The position to report for a value: its own, or its key's when the value is empty
// (yaml-cpp marks an empty value at the next token, often the next line).
YAML::Mark ValueMark(const YAML::Node& value, const YAML::Mark& key_mark) {
  const YAML::Mark mark = value.Mark();
  return (value.IsNull() || mark.is_null() || mark.line < 0) ? key_mark : mark;
}

// A suggestion for an unknown key: the closest name at the same level, or else a key
// elsewhere with the same last name ("devices" under run: fleet.devices).
std::string Suggest(const std::string& section, const std::string& name) {
  std::vector<std::string> siblings;
  for (const std::string& child : ChildNames(section)) {
    siblings.push_back(section.empty() ? child : section + "." + child);
  }
  const std::string path = section.empty() ? name : section + "." + name;
  std::string hint = DidYouMean(path, siblings);
  if (!hint.empty()) return hint;
  std::vector<std::string> elsewhere;
  for (const Key& key : AllKeys()) {
    const std::string leaf = key.path.substr(key.path.rfind('.') + 1);
    if (EditDistance(leaf, name) <= (name.size() > 4 ? 1u : 0u)) elsewhere.push_back(key.path);
  }
  if (elsewhere.size() == 1) return " (did you mean " + elsewhere.front() + "?)";
  return "";
}

// One pass over a parsed file, applying each key it meets to `cfg` and recording where.
// Lives for one ApplyYamlText call; not shared between threads.
class YamlWalk {
 public:
  YamlWalk(const std::string& name, Config& cfg, Provenance& provenance)
      : name_(name), cfg_(cfg), provenance_(provenance) {}

  // Applies every key of the map `node` found under `section` ("" = top level).
  void Section(const YAML::Node& node, const std::string& section) {
    std::set<std::string> seen;
    for (const auto& entry : node) {
      const YAML::Node& key_node = entry.first;
      const YAML::Node& value = entry.second;
      if (!key_node.IsScalar()) {
        throw ConfigError(section, Where(name_, key_node.Mark()),
                          fmt::format("a key must be a name, not {}", Describe(key_node)));
      }
      const std::string& name = key_node.Scalar();
      const std::string path = section.empty() ? name : section + "." + name;
      if (!seen.insert(name).second) {
        throw ConfigError(path, Where(name_, key_node.Mark()), "duplicate key");
      }
      if (const Key* key = FindKey(path)) {
        Leaf(*key, value, key_node.Mark());
      } else if (IsSection(path)) {
        if (value.IsNull()) continue;  // "kafka:" with nothing under it
        if (!value.IsMap()) {
          throw ConfigError(
              path, Where(name_, ValueMark(value, key_node.Mark())),
              fmt::format("expected a map of {}.* keys, got {}", path,
                          value.IsScalar() ? text::Quote(value.Scalar()) : Describe(value)));
        }
        Section(value, path);
      } else {
        throw ConfigError(path, Where(name_, key_node.Mark()),
                          "unknown key" + Suggest(section, name));
      }
    }
  }

 private:
  void Leaf(const Key& key, const YAML::Node& value, const YAML::Mark& key_mark) {
    const std::string where = Where(name_, ValueMark(value, key_mark));
    try {
      AssignAndCheck(key, cfg_, SourceValue{&value, {}});
    } catch (const ValueError& e) {
      const bool inner = e.mark() && !e.mark()->is_null() && e.mark()->line >= 0;
      throw ConfigError(e.path().empty() ? key.path : e.path(),
                        inner ? Where(name_, *e.mark()) : where, e.what());
    }
    provenance_[key.path] = where;
  }

  const std::string& name_;
  Config& cfg_;
  Provenance& provenance_;
};

// Where a quoted scalar starting at `pos` (its quote) ends: the closing quote's position,
// or npos when the text ends first. Double quotes skip backslash escapes; single quotes
// are escaped by doubling.
size_t ClosingQuote(const std::string& text, size_t pos) {
  const char quote = text[pos];
  for (size_t i = pos + 1; i < text.size(); ++i) {
    if (quote == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == quote) {
      if (quote == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;
      } else {
        return i;
      }
    }
  }
  return std::string::npos;
}

// Sees only where each document starts and where its root node is: enough to count them
// without building nodes; and the first quoted scalar that does not close on its own line
// (yaml-cpp takes an unclosed quote to the end of the file, swallowing the lines below it).
// One per parse; not shared between threads.
class DocumentStarts : public YAML::EventHandler {
 public:
  explicit DocumentStarts(const std::string& text) : text_(text) {}

  void OnDocumentStart(const YAML::Mark& mark) override { marks.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Node(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    Node(mark);
    const auto pos = static_cast<size_t>(mark.pos);
    if (open_quote || mark.pos < 0 || pos >= text_.size()) return;
    if (text_[pos] != '"' && text_[pos] != '\'') return;
    const size_t end = ClosingQuote(text_, pos);
    if (end == std::string::npos || text_.find('\n', pos) < end) {
      open_quote = mark;
      closed = end != std::string::npos;
    }
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Node(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Node(mark);
  }
  void OnMapEnd() override {}

  std::vector<YAML::Mark> marks;         // each document's start
  std::vector<YAML::Mark> roots;         // each document's root node, for documents that have one
  std::optional<YAML::Mark> open_quote;  // a quoted scalar not closed on its line
  bool closed = false;                   // ...closed on a later line, or never

 private:
  const std::string& text_;
  void Node(const YAML::Mark& mark) {
    if (roots.size() < marks.size()) roots.push_back(mark);
  }
};

// Whether a document really starts at `mark`: a "---" there, or a "..." line (the end of
// the one before) as the last thing above it.
bool OpensADocument(const std::string& text, const YAML::Mark& mark) {
  const auto pos = static_cast<size_t>(mark.pos);
  if (mark.pos < 0 || pos > text.size()) return false;
  if (text.compare(pos, 3, "---") == 0) return true;
  if (pos == 0) return false;
  const size_t end = text.find_last_not_of(" \t\r\n", pos - 1);
  return end != std::string::npos && end >= 2 && text.compare(end - 2, 3, "...") == 0 &&
         (end < 3 || text[end - 3] == '\n');
}

// The file's one document (null when it has none). YAML::LoadAll is not used: on some
// malformed input (a lone ",") yaml-cpp 0.7's parser reports empty documents forever
// without moving on, and LoadAll loops, allocating, until memory runs out. Throws
// YAML::Exception for a syntax error, ConfigError for a second document.
YAML::Node LoadOneDocument(const std::string& text, const std::string& name) {
  {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    DocumentStarts starts(text);
    while (starts.marks.size() < 2 && parser.HandleNextDocument(starts)) {
    }
    // Before anything can quote what the lines below it hold (a secret, say).
    if (starts.open_quote) {
      throw ConfigError("", Where(name, *starts.open_quote),
                        starts.closed ? "YAML syntax error: a quoted value must end on the line "
                                        "it starts (use a block scalar, | or >, for several lines)"
                                      : "YAML syntax error: a quoted value is never closed");
    }
    if (starts.marks.size() == 2) {
      const YAML::Mark& second = starts.marks[1];
      // A second document opens with "---" or follows a "..." line. Anything else is the
      // parser giving up on a token it cannot use (a stray ","): a syntax error there.
      if (second.pos == starts.marks[0].pos || !OpensADocument(text, second)) {
        throw ConfigError("", Where(name, second), "YAML syntax error: unexpected character");
      }
      throw ConfigError("", Where(name, starts.roots.size() == 2 ? starts.roots[1] : second),
                        "more than one YAML document (a config file holds one)");
    }
  }
  return YAML::Load(text);
}

}  // namespace

void ApplyYamlText(std::string_view text, const std::string& name, Config& cfg,
                   Provenance& provenance) {
  YAML::Node root;
  try {
    root = LoadOneDocument(std::string(text), name);
  } catch (const YAML::DeepRecursion& e) {  // its own text says "bad file"
    throw ConfigError("", Where(name, e.mark), "YAML syntax error: nesting is too deep");
  } catch (const YAML::Exception& e) {  // ParserException, bad escapes, undefined aliases...
    throw ConfigError("", Where(name, e.mark), "YAML syntax error: " + e.msg);
  }
  if (!root.IsDefined() || root.IsNull()) return;  // empty file: all defaults
  if (!root.IsMap()) {
    throw ConfigError(
        "", Where(name, root.Mark()),
        fmt::format("the top level must be a map of sections (fleet, sensors, anomalies, "
                    "incidents, run, output, kafka, labels, log, admin, reload, alerts), got {}",
                    root.IsScalar() ? text::Quote(root.Scalar()) : "a list"));
  }
  YamlWalk(name, cfg, provenance).Section(root, "");
}

void ApplyYamlFile(const std::string& path, Config& cfg, Provenance& provenance) {
  ApplyYamlText(ReadFile(path), path, cfg, provenance);
}

}  // namespace iiot::config_keys
