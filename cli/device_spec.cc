#include "device_spec.h"

#include <vector>

namespace pedisim::cli {
namespace {

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  while (true) {
    const size_t end = text.find(separator);
    pieces.push_back(text.substr(0, end));
    if (end == std::string_view::npos) return pieces;
    text.remove_prefix(end + 1);
  }
}

}  // namespace

std::string ParseDeviceSpec(std::string_view spec, v1::DeviceAttachment* device) {
  const std::vector<std::string_view> items = Split(spec, ',');
  const std::string_view identity = items.front();
  const size_t colon = identity.find(':');
  const std::string_view adapter = identity.substr(0, colon);
  if (adapter.empty()) return "missing adapter in '" + std::string(spec) + "'";
  device->set_adapter(std::string(adapter));
  if (colon != std::string_view::npos) {
    const std::string_view name = identity.substr(colon + 1);
    if (name.empty()) return "empty device name after ':' in '" + std::string(spec) + "'";
    device->set_name(std::string(name));
  }
  for (size_t i = 1; i < items.size(); ++i) {
    const size_t equals = items[i].find('=');
    if (equals == std::string_view::npos || equals == 0) {
      return "expected KEY=VALUE, got '" + std::string(items[i]) + "' in '" + std::string(spec) +
             "'";
    }
    (*device->mutable_config())[std::string(items[i].substr(0, equals))] =
        std::string(items[i].substr(equals + 1));
  }
  return "";
}

std::string ParseParticipantSpec(std::string_view spec, v1::Participant* participant) {
  const size_t colon = spec.find(':');
  const std::string_view name = spec.substr(0, colon);
  if (name.empty()) return "missing name in '" + std::string(spec) + "'";
  participant->set_name(std::string(name));
  if (colon != std::string_view::npos) participant->set_role(std::string(spec.substr(colon + 1)));
  return "";
}

void AttachLearnerScript(const std::string& script_name, const std::string& script,
                         v1::CreateSessionRequest* request) {
  v1::DeviceAttachment* manikin = nullptr;
  for (auto& device : *request->mutable_devices()) {
    if (device.adapter() == kVirtualManikinAdapter) {
      manikin = &device;
      break;
    }
  }
  if (manikin == nullptr) {
    manikin = request->add_devices();
    manikin->set_adapter(kVirtualManikinAdapter);
    manikin->set_name("manikin");
  }
  (*manikin->mutable_config())["script"] = script;
  (*manikin->mutable_config())["script_name"] = script_name;
}

}  // namespace pedisim::cli
