#include "devices/virtual/virtual_manikin.h"

#include <fmt/format.h>

#include "controller/scenario/scenario_loader.h"

namespace pedisim::devices {

std::unique_ptr<DeviceAdapter> VirtualManikin::Create(const AdapterConfig& config) {
  RejectUnknownKeys(config, {"script", "script_name"});
  const auto script = config.find("script");
  if (script == config.end()) return std::make_unique<VirtualManikin>(v1::ActionScript());
  const auto name = config.find("script_name");
  const scenario::ActionScriptResult parsed = scenario::ParseActionScript(
      name == config.end() ? "script" : name->second, script->second);
  if (!parsed.ok()) throw AdapterConfigError("bad script:\n" + parsed.FormatDiagnostics());
  return std::make_unique<VirtualManikin>(*parsed.script);
}

v1::DeviceIdentity VirtualManikin::Identity() const {
  v1::DeviceIdentity identity;
  identity.set_manufacturer("PediSim");
  identity.set_model("Virtual manikin");
  identity.set_serial("virtual-manikin");
  identity.set_firmware_version("1");
  return identity;
}

v1::DeviceCapabilities VirtualManikin::Capabilities() const {
  v1::DeviceCapabilities capabilities;
  const google::protobuf::EnumDescriptor* kinds = v1::ActionKind_descriptor();
  for (int i = 0; i < kinds->value_count(); ++i) {
    if (kinds->value(i)->number() != v1::ACTION_KIND_UNSPECIFIED) {
      capabilities.add_senses_actions(kinds->value(i)->name());
    }
  }
  return capabilities;
}

void VirtualManikin::OnUpdate(const v1::SessionUpdate&) {}

std::vector<v1::LearnerAction> VirtualManikin::TakeObservations(double sim_time_s) {
  std::vector<v1::LearnerAction> due;
  while (next_action_ < script_.actions_size() &&
         script_.actions(next_action_).at_s() <= sim_time_s + 1e-9) {
    due.push_back(script_.actions(next_action_).action());
    ++next_action_;
  }
  return due;
}

std::string VirtualManikin::StatusDetail() const {
  if (script_.actions_size() == 0) return "no script";
  return fmt::format("script: {} of {} actions reported", next_action_, script_.actions_size());
}

}  // namespace pedisim::devices
