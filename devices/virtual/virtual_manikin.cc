#include "devices/virtual/virtual_manikin.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "controller/scenario/scenario_loader.h"
#include "devices/virtual/virtual_identity.h"

namespace pedisim::devices {

namespace {

// One compression (and, at its own rate, one breath) after another, as a
// CPR manikin reports them.
void ExpandCompressions(double start_s, const v1::CompressionRun& run,
                        std::vector<std::pair<double, v1::LearnerAction>>* out) {
  // The script checks bound these; a run that slipped past them is ignored
  // rather than allowed to fill memory.
  if (!(run.rate_per_min() > 0 && run.rate_per_min() <= 300) ||
      !(run.duration_s() > 0 && run.duration_s() <= 86400)) {
    return;
  }
  const double interval_s = 60.0 / run.rate_per_min();
  const auto count = static_cast<int64_t>(run.duration_s() / interval_s);
  for (int64_t i = 0; i < count; ++i) {
    v1::LearnerAction compression;
    compression.set_kind(v1::ACTION_KIND_CHEST_COMPRESSION);
    compression.mutable_compression()->set_depth_mm(run.depth_mm());
    compression.mutable_compression()->set_rate_per_min(run.rate_per_min());
    compression.mutable_compression()->set_full_recoil(run.full_recoil());
    out->emplace_back(start_s + static_cast<double>(i) * interval_s, std::move(compression));
  }
  if (run.ventilations_per_min() > 0) {
    const double breath_interval_s = 60.0 / run.ventilations_per_min();
    const auto breaths = static_cast<int64_t>(run.duration_s() / breath_interval_s);
    for (int64_t i = 0; i < breaths; ++i) {
      v1::LearnerAction breath;
      breath.set_kind(v1::ACTION_KIND_VENTILATION);
      out->emplace_back(start_s + (static_cast<double>(i) + 0.5) * breath_interval_s,
                        std::move(breath));
    }
  }
}

}  // namespace

VirtualManikin::VirtualManikin(const v1::ActionScript& script) {
  std::vector<std::pair<double, v1::LearnerAction>> flat;
  for (const v1::ScriptedAction& scripted : script.actions()) {
    if (scripted.has_action()) flat.emplace_back(scripted.at_s(), scripted.action());
    if (scripted.has_compressions())
      ExpandCompressions(scripted.at_s(), scripted.compressions(), &flat);
  }
  std::stable_sort(flat.begin(), flat.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [at_s, action] : flat) timeline_.push_back({at_s, std::move(action)});
}

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
  while (next_action_ < timeline_.size() && timeline_[next_action_].at_s <= sim_time_s + 1e-9) {
    due.push_back(timeline_[next_action_].action);
    ++next_action_;
  }
  return due;
}

std::string VirtualManikin::StatusDetail() const {
  if (timeline_.empty()) return "no script";
  return fmt::format("script: {} of {} actions reported", next_action_, timeline_.size());
}

}  // namespace pedisim::devices
