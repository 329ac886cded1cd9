#include "views/override_view.h"

#include <algorithm>
#include <string>

#include "views/vital_info.h"

namespace pedisim::dashboard {

void DrawOverrides(const ViewContext& context, OverrideForm& form) {
  if (!context.commands) return;
  const v1::VitalsSample& sample = context.view.vitals;
  ImGui::SetNextItemWidth(160);
  static constexpr double kNoTrend = 0;
  static constexpr double kLongestTrend = 120;
  ImGui::SliderScalar("trend time (s)", ImGuiDataType_Double, &form.trend_s, &kNoTrend,
                      &kLongestTrend, "%.0f");
  HelpTooltip("Seconds to reach the held value, or to return to the script on release");
  if (!ImGui::BeginTable("overrides", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit))
    return;
  ImGui::TableSetupColumn("vital");
  ImGui::TableSetupColumn("now");
  ImGui::TableSetupColumn("hold at", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("");
  ImGui::TableSetupColumn("");
  for (const VitalInfo& info : AllVitals()) {
    ImGui::PushID(info.field);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextColored(ToVec4(info.color), "%s", info.label);
    ImGui::TableNextColumn();
    const std::optional<double> now = GetVital(sample.vitals(), info.field);
    const bool held = std::find(sample.overridden().begin(), sample.overridden().end(),
                                info.field) != sample.overridden().end();
    // Who holds it, so that two instructors do not overwrite each other.
    const auto holder = context.view.session.vital_holders().find(info.field);
    const std::string held_text = !held ? ""
                                  : holder != context.view.session.vital_holders().end()
                                      ? "  HELD by " + holder->second
                                      : "  HELD";
    if (now)
      ImGui::Text("%.*f %s%s", info.decimals, *now, info.unit, held_text.c_str());
    else
      ImGui::TextColored(ToVec4(colors::kMuted), "--");
    ImGui::TableNextColumn();
    double& target = form.targets.try_emplace(info.field, now.value_or(0)).first->second;
    ImGui::SetNextItemWidth(-1);
    ImGui::InputDouble("##target", &target, 0, 0, info.decimals ? "%.1f" : "%.0f");
    target = std::clamp(target, info.low, info.high);
    ImGui::TableNextColumn();
    if (ImGui::SmallButton("Hold")) {
      v1::Vitals vitals;
      SetVital(vitals, info.field, target);
      context.commands->Override(vitals, form.trend_s);
    }
    ImGui::TableNextColumn();
    ImGui::BeginDisabled(!held);
    if (ImGui::SmallButton("Release")) context.commands->Release({info.field}, form.trend_s);
    ImGui::EndDisabled();
    ImGui::PopID();
  }
  ImGui::EndTable();
}

}  // namespace pedisim::dashboard
