#include "devices/virtual/action_timeline.h"

#include <algorithm>
#include <cstdint>
#include <utility>

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

std::vector<TimedAction> ExpandActionScript(const v1::ActionScript& script) {
  std::vector<std::pair<double, v1::LearnerAction>> flat;
  for (const v1::ScriptedAction& scripted : script.actions()) {
    if (scripted.has_action()) flat.emplace_back(scripted.at_s(), scripted.action());
    if (scripted.has_compressions())
      ExpandCompressions(scripted.at_s(), scripted.compressions(), &flat);
  }
  std::stable_sort(flat.begin(), flat.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<TimedAction> timeline;
  timeline.reserve(flat.size());
  for (auto& [at_s, action] : flat) timeline.push_back({at_s, std::move(action)});
  return timeline;
}

}  // namespace pedisim::devices
