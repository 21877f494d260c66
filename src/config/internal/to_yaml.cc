// ToYaml: the effective config as YAML, every key in table order, loadable by LoadConfig.
#include <string_view>
#include <vector>

#include "config/config_loader.h"
#include "config/internal/key_registry.h"

namespace iiot {

namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

std::string Indent(size_t depth) { return std::string(2 * depth, ' '); }

}  // namespace

std::string ToYaml(const Config& cfg) {
  std::string out =
      "# iiot-producer effective configuration. Secrets (admin.token, secret kafka.properties)\n"
      "# are <redacted>.\n";
  std::vector<std::string> open;  // the sections the previous key sat in
  for (const config_keys::Key& key : config_keys::AllKeys()) {
    const std::vector<std::string> parts = Split(key.path);
    const size_t depth = parts.size() - 1;
    size_t common = 0;
    while (common < open.size() && common < depth && open[common] == parts[common]) ++common;
    open.resize(common);
    while (open.size() < depth) {
      out += Indent(open.size()) + parts[open.size()] + ":\n";
      open.push_back(parts[open.size()]);
    }
    const std::string value = key.show(cfg);
    out += Indent(depth) + parts.back() + ":";
    if (!value.empty() && value.front() == '\n') {  // a block: one entry per line, indented
      size_t start = 1;
      while (start <= value.size()) {
        const size_t end = value.find('\n', start);
        out += "\n" + Indent(depth + 1) +
               value.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (end == std::string::npos) break;
        start = end + 1;
      }
      out += "\n";
    } else {
      out += " " + value + "\n";
    }
  }
  return out;
}

}  // namespace iiot
