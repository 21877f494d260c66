// ChangedKeys: which keys a reload changes, key by key through the table.
#include "config/config_loader.h"
#include "config/internal/key_registry.h"

namespace iiot {

std::vector<std::string> ChangedKeys(const Config& a, const Config& b) {
  std::vector<std::string> changed;
  for (const config_keys::Key& key : config_keys::AllKeys()) {
    const bool same = key.same ? key.same(a, b) : key.show(a) == key.show(b);
    if (!same) changed.push_back(key.path);
  }
  return changed;
}

}  // namespace iiot
