#include "devices/registry.h"

#include <stdexcept>

namespace pedisim::devices {

void AdapterRegistry::Register(const std::string& name, AdapterFactory factory) {
  if (!factories_.emplace(name, std::move(factory)).second) {
    throw std::logic_error("device adapter '" + name + "' is registered twice");
  }
}

AdapterRegistry::CreateResult AdapterRegistry::Create(const std::string& name,
                                                      const AdapterConfig& config) const {
  CreateResult result;
  const auto it = factories_.find(name);
  if (it == factories_.end()) {
    result.error = CreateResult::Error::kUnknownAdapter;
    std::string known;
    for (const std::string& candidate : Names()) known += (known.empty() ? "" : ", ") + candidate;
    result.message = "unknown device adapter '" + name + "' (known: " + known + ")";
    return result;
  }
  try {
    result.adapter = it->second(config);
  } catch (const AdapterConfigError& error) {
    result.error = CreateResult::Error::kBadConfig;
    result.message = "adapter '" + name + "': " + error.what();
  }
  return result;
}

std::vector<std::string> AdapterRegistry::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, factory] : factories_) names.push_back(name);
  return names;
}

void RejectUnknownKeys(const AdapterConfig& config, const std::vector<std::string>& known) {
  for (const auto& [key, value] : config) {
    bool found = false;
    for (const std::string& candidate : known) found = found || candidate == key;
    if (!found) {
      std::string list;
      for (const std::string& candidate : known) list += (list.empty() ? "" : ", ") + candidate;
      throw AdapterConfigError("unknown config key '" + key + "'" +
                               (list.empty() ? " (it takes none)" : " (known: " + list + ")"));
    }
  }
}

}  // namespace pedisim::devices
