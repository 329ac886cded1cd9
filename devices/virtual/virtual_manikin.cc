#include "devices/virtual/virtual_manikin.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/scenario/scenario_loader.h"
#include "devices/virtual/action_timeline.h"
#include "devices/virtual/virtual_capabilities.h"
#include "devices/virtual/virtual_identity.h"

namespace pedisim::devices {

VirtualManikin::VirtualManikin(const v1::ActionScript& script)
    : timeline_(ExpandActionScript(script)) {}

std::unique_ptr<DeviceAdapter> VirtualManikin::Create(const AdapterConfig& config) {
  RejectUnknownKeys(config, {"script", "script_name"});
  const auto script = config.find("script");
  if (script == config.end()) return std::make_unique<VirtualManikin>(v1::ActionScript());
  const auto name = config.find("script_name");
  const scenario::ActionScriptResult parsed =
      scenario::ParseActionScript(name == config.end() ? "script" : name->second, script->second);
  if (!parsed.ok()) throw AdapterConfigError("bad script:\n" + parsed.FormatDiagnostics());
  return std::make_unique<VirtualManikin>(*parsed.script);
}

v1::DeviceIdentity VirtualManikin::Identity() const {
  return VirtualIdentity("Virtual manikin", "virtual-manikin");
}

v1::DeviceCapabilities VirtualManikin::Capabilities() const { return ManikinCapabilities(); }

void VirtualManikin::OnUpdate(const v1::SessionUpdate&) {}

std::vector<Observation> VirtualManikin::TakeObservations(double sim_time_s) {
  std::vector<Observation> due;
  while (next_action_ < timeline_.size() && timeline_[next_action_].at_s <= sim_time_s + 1e-9) {
    due.push_back({.action = timeline_[next_action_].action, .sensed_sim_time_s = std::nullopt});
    ++next_action_;
  }
  return due;
}

std::string VirtualManikin::StatusDetail() const {
  if (timeline_.empty()) return "no script";
  return fmt::format("script: {} of {} actions reported", next_action_, timeline_.size());
}

}  // namespace pedisim::devices
