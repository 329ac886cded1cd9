#include "views/performance_view.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text/enum_names.h"
#include "views/vital_info.h"

namespace pedisim::dashboard {
namespace {

void DrawChecklist(const v1::Assessment& assessment, double since_assessment_s) {
  if (!ImGui::BeginTable("checklist", 3,
                         ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    return;
  }
  ImGui::TableSetupColumn("item", ImGuiTableColumnFlags_WidthStretch, 3);
  ImGui::TableSetupColumn("grade", ImGuiTableColumnFlags_WidthStretch, 1.2f);
  ImGui::TableSetupColumn("when", ImGuiTableColumnFlags_WidthStretch, 1);
  for (const v1::ItemGrade& item : assessment.items()) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextWrapped("%s", item.item().c_str());
    if (ImGui::IsItemHovered() && !item.reason().empty())
      ImGui::SetTooltip("%s", item.reason().c_str());
    ImGui::TableNextColumn();
    ImGui::TextColored(ToVec4(GradeColor(item.grade())), "%s%s", GradeName(item.grade()),
                       item.has_override() ? " *" : "");
    ImGui::TableNextColumn();
    if (item.grade() == v1::GRADE_PENDING && item.has_seconds_left()) {
      const double left = std::max(0.0, item.seconds_left() - since_assessment_s);
      ImGui::TextColored(ToVec4(left < 30 ? colors::kBad : colors::kWarn), "%s left",
                         ClockText(left).c_str());
    } else if (item.has_decided_s()) {
      ImGui::TextColored(ToVec4(colors::kMuted), "at %s", ClockText(item.decided_s()).c_str());
    }
  }
  ImGui::EndTable();
}

// A bar with the target band marked: green when the value is within it.
void Gauge(const char* label, double value, const v1::Range& target, double scale_max,
           const char* format) {
  const ImVec2 min = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x * 0.6f;
  const float height = ImGui::GetTextLineHeight();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const auto x_of = [&](double v) {
    return min.x + static_cast<float>(std::clamp(v / scale_max, 0.0, 1.0)) * width;
  };
  const bool ok =
      (!target.has_min() || value >= target.min()) && (!target.has_max() || value <= target.max());
  draw->AddRectFilled(min, ImVec2(min.x + width, min.y + height), colors::kOtherState);
  draw->AddRectFilled(ImVec2(x_of(target.has_min() ? target.min() : 0), min.y),
                      ImVec2(x_of(target.has_max() ? target.max() : scale_max), min.y + height),
                      IM_COL32(40, 90, 50, 255));
  draw->AddRectFilled(ImVec2(x_of(value) - 2, min.y - 2),
                      ImVec2(x_of(value) + 2, min.y + height + 2),
                      ok ? colors::kGood : colors::kBad);
  ImGui::Dummy(ImVec2(width, height));
  ImGui::SameLine();
  ImGui::Text(format, label, value);
}

void DrawCpr(const v1::CprQuality& cpr) {
  const v1::CprTargets& targets = cpr.targets();
  ImGui::Text("CPR: %u compressions, %u ventilations, longest pause %.1f s", cpr.compressions(),
              cpr.ventilations(), cpr.longest_pause_s());
  Gauge("rate", cpr.compression_rate_per_min(), targets.compression_rate_per_min(), 160,
        "%s %.0f /min");
  Gauge("depth", cpr.compression_depth_mm(), targets.compression_depth_mm(), 80, "%s %.0f mm");
  v1::Range recoil;
  recoil.set_min(targets.min_full_recoil_fraction() * 100);
  Gauge("recoil", cpr.full_recoil_fraction() * 100, recoil, 100, "%s %.0f %%");
  v1::Range fraction;
  fraction.set_min(targets.min_compression_fraction() * 100);
  Gauge("CCF", cpr.compression_fraction() * 100, fraction, 100, "%s %.0f %%");
}

void DrawCompetencies(const v1::Assessment& assessment) {
  for (const v1::CompetencyTotal& total : assessment.competencies()) {
    const std::string name = text::EnumWords(total.competency());
    if (total.has_score_pct()) {
      // A percentage of the judged items only: "100 %" of one met item
      // beside three pending would read as a perfect score.
      const unsigned judged = total.met() + total.met_late() + total.wrong() + total.omitted();
      ImGui::Text("%s: %.0f %% of %u judged (%u met, %u late, %u wrong, %u omitted, %u pending)",
                  name.c_str(), total.score_pct(), judged, total.met(), total.met_late(),
                  total.wrong(), total.omitted(), total.pending());
    } else {
      ImGui::TextColored(ToVec4(colors::kMuted), "%s: %u pending", name.c_str(), total.pending());
    }
  }
}

}  // namespace

const char* GradeName(v1::Grade grade) {
  switch (grade) {
    case v1::GRADE_PENDING:
      return "pending";
    case v1::GRADE_MET:
      return "MET";
    case v1::GRADE_MET_LATE:
      return "LATE";
    case v1::GRADE_WRONG:
      return "WRONG";
    case v1::GRADE_OMITTED:
      return "OMITTED";
    case v1::GRADE_NOT_APPLICABLE:
      return "n/a";
    default:
      return "-";
  }
}

ImU32 GradeColor(v1::Grade grade) {
  switch (grade) {
    case v1::GRADE_MET:
      return colors::kGood;
    case v1::GRADE_MET_LATE:
      return colors::kWarn;
    case v1::GRADE_WRONG:
    case v1::GRADE_OMITTED:
      return colors::kBad;
    default:
      return colors::kMuted;
  }
}

void DrawPerformance(const ViewContext& context) {
  const SessionView& view = context.view;
  if (!view.has_assessment) {
    ImGui::TextColored(ToVec4(colors::kMuted), "No assessment yet.");
    return;
  }
  const v1::Assessment& assessment = view.assessment;
  if (assessment.withheld()) {
    ImGui::TextColored(ToVec4(colors::kMuted), "Scores are not released yet.");
  }
  if (context.commands) {
    ImGui::BeginDisabled(assessment.released());
    if (ImGui::SmallButton(assessment.released() ? "Released to learners" : "Release scores")) {
      context.commands->ReleaseScores();
    }
    ImGui::EndDisabled();
    ImGui::SameLine();
  }
  ImGui::TextColored(ToVec4(colors::kMuted), "%s", assessment.guideline_set().c_str());
  DrawChecklist(assessment, view.sim_time_s - assessment.sim_time_s());
  if (assessment.cpr().compressions() > 0) {
    ImGui::Separator();
    DrawCpr(assessment.cpr());
  }
  for (const v1::DoseCheck& dose : assessment.dose_checks()) {
    const bool in_range = dose.verdict() == v1::DOSE_VERDICT_IN_RANGE;
    ImGui::TextColored(ToVec4(in_range ? colors::kGood : colors::kBad), "%s %s: %s",
                       ClockText(dose.sim_time_s()).c_str(), dose.drug().c_str(),
                       dose.reason().c_str());
  }
  if (!assessment.competencies().empty()) {
    ImGui::Separator();
    DrawCompetencies(assessment);
  }
}

}  // namespace pedisim::dashboard
