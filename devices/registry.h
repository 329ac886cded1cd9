#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "devices/adapter.h"

namespace pedisim::devices {

// Thrown by a factory whose configuration is wrong; the message names the key.
class AdapterConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using AdapterFactory = std::function<std::unique_ptr<DeviceAdapter>(const AdapterConfig&)>;

// Named adapter factories. Contract:
//  - a name is registered once; registering it again throws std::logic_error,
//    so two adapters can never silently shadow each other;
//  - Create() with an unknown name or a configuration the factory rejects
//    returns an error naming the problem, never a half-built adapter;
//  - registration happens at start-up (see builtin_adapters.cc, one line per
//    adapter), lookups afterwards are read-only and safe from any thread.
class AdapterRegistry {
 public:
  void Register(const std::string& name, AdapterFactory factory);

  struct CreateResult {
    enum class Error { kNone, kUnknownAdapter, kBadConfig };
    std::unique_ptr<DeviceAdapter> adapter;
    Error error = Error::kNone;
    std::string message;
  };
  CreateResult Create(const std::string& name, const AdapterConfig& config) const;

  std::vector<std::string> Names() const;

 private:
  std::map<std::string, AdapterFactory> factories_;
};

// Throws AdapterConfigError naming the first key of `config` not in `known`.
void RejectUnknownKeys(const AdapterConfig& config, const std::vector<std::string>& known);

}  // namespace pedisim::devices
