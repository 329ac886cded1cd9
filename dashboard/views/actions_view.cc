#include "views/actions_view.h"

#include <fmt/format.h>

#include "core/dosing/dose_check.h"
#include "core/patient/patient_size.h"
#include "core/text/numbers.h"
#include "views/vital_info.h"

namespace pedisim::dashboard {
namespace {

struct QuickAction {
  v1::ActionKind kind;
  const char* label;
  int scancode;  // 0 = no key
};

constexpr QuickAction kQuickActions[] = {
    {v1::ACTION_KIND_OXYGEN, "Oxygen", SDL_SCANCODE_O},
    {v1::ACTION_KIND_BAG_MASK_VENTILATION, "Bag-mask", SDL_SCANCODE_V},
    {v1::ACTION_KIND_AIRWAY_REPOSITIONING, "Reposition", SDL_SCANCODE_R},
    {v1::ACTION_KIND_SUCTION, "Suction", SDL_SCANCODE_U},
    {v1::ACTION_KIND_INTUBATION, "Intubation", SDL_SCANCODE_T},
    {v1::ACTION_KIND_CHEST_COMPRESSIONS_START, "CPR start", SDL_SCANCODE_C},
    {v1::ACTION_KIND_CHEST_COMPRESSIONS_STOP, "CPR stop", SDL_SCANCODE_X},
    {v1::ACTION_KIND_PULSE_CHECK, "Pulse check", SDL_SCANCODE_P},
    {v1::ACTION_KIND_IV_ACCESS, "IV access", SDL_SCANCODE_I},
    {v1::ACTION_KIND_IO_ACCESS, "IO access", 0},
    {v1::ACTION_KIND_GLUCOSE_CHECK, "Glucose check", 0},
    {v1::ACTION_KIND_VAGAL_MANEUVER, "Vagal", 0},
    {v1::ACTION_KIND_CALL_FOR_HELP, "Call for help", SDL_SCANCODE_H},
};

std::string Performer(const ViewContext& context, const ActionsForm& form) {
  const auto& participants = context.view.session.participants();
  if (form.performer <= 0 || form.performer > participants.size()) return "";
  return participants[form.performer - 1].name();
}

void Log(const ViewContext& context, const ActionsForm& form, v1::LearnerAction action,
         const std::string& description) {
  action.set_performer(Performer(context, form));
  context.commands->LogAction(action, description);
}

void DrawPerformer(const ViewContext& context, ActionsForm& form) {
  const auto& participants = context.view.session.participants();
  const std::string current = form.performer > 0 && form.performer <= participants.size()
                                  ? fmt::format("{} ({})", participants[form.performer - 1].name(),
                                                participants[form.performer - 1].role())
                                  : "team (no one named)";
  ImGui::SetNextItemWidth(260);
  if (ImGui::BeginCombo("performed by", current.c_str())) {
    if (ImGui::Selectable("team (no one named)", form.performer == 0)) form.performer = 0;
    for (int i = 0; i < participants.size(); ++i) {
      const std::string label =
          fmt::format("{} ({})", participants[i].name(), participants[i].role());
      if (ImGui::Selectable(label.c_str(), form.performer == i + 1)) form.performer = i + 1;
    }
    ImGui::EndCombo();
  }
}

void DrawDrug(const ViewContext& context, ActionsForm& form, double weight_kg) {
  const v1::Scenario* scenario = context.view.scenario.get();
  ImGui::SetNextItemWidth(150);
  ImGui::InputText("##drug", form.drug, sizeof(form.drug));
  if (scenario && ImGui::BeginPopupContextItem("drugs", ImGuiPopupFlags_MouseButtonLeft)) {
    for (const v1::DrugEntry& entry : scenario->guidelines().drugs()) {
      if (ImGui::Selectable(entry.drug().c_str())) {
        fmt::format_to_n(form.drug, sizeof(form.drug) - 1, "{}", entry.drug()).out[0] = '\0';
      }
    }
    ImGui::EndPopup();
  }
  HelpTooltip("Drug name; click for the scenario's drug table");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(50);
  ImGui::InputText("##route", form.route, sizeof(form.route));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(110);
  ImGui::InputDouble("##amount", &form.amount, 0, 0, "%.4g");
  ImGui::SameLine();
  int unit = form.unit == DoseUnit::kMg ? 0 : 1;
  ImGui::RadioButton("mg", &unit, 0);
  ImGui::SameLine();
  ImGui::RadioButton("mg/kg", &unit, 1);
  form.unit = unit == 0 ? DoseUnit::kMg : DoseUnit::kMgPerKg;

  const DosePreview preview = PreviewDose(
      scenario ? scenario->guidelines() : v1::GuidelineSet(), form.drug, form.route, form.amount,
      form.unit, {weight_kg, patient::AgeInYears(context.view.session.patient())});
  const v1::DoseVerdict verdict = preview.check.verdict();
  const ImU32 color = verdict == v1::DOSE_VERDICT_IN_RANGE ? colors::kGood
                      : dosing::IsDoseError(verdict)       ? colors::kBad
                                                           : colors::kWarn;
  ImGui::TextColored(ToVec4(color), "%s", preview.summary.c_str());
  ImGui::SameLine();
  ImGui::BeginDisabled(!preview.has_dose);
  if (ImGui::Button("Give") || (preview.has_dose && ShortcutPressed(SDL_SCANCODE_G))) {
    v1::LearnerAction action;
    action.set_kind(v1::ACTION_KIND_DRUG);
    action.set_drug(form.drug);
    action.set_route(form.route);
    action.set_dose_mg(preview.dose_mg);
    Log(context, form, action,
        fmt::format("{} {} mg {}", form.drug, text::PlainNumber(preview.dose_mg), form.route));
  }
  ImGui::EndDisabled();
  HelpTooltip("Log the drug as given, in mg [G]");
}

}  // namespace

void DrawActions(const ViewContext& context, ActionsForm& form) {
  if (!context.commands) return;
  DrawPerformer(context, form);
  const float button_width = 118;
  const float avail = ImGui::GetContentRegionAvail().x;
  const int per_row = std::max(1, static_cast<int>(avail / (button_width + 6)));
  int in_row = 0;
  for (const QuickAction& quick : kQuickActions) {
    if (in_row++ % per_row != 0) ImGui::SameLine();
    const bool key = quick.scancode != 0 && ShortcutPressed(quick.scancode);
    if (ImGui::Button(quick.label, ImVec2(button_width, 0)) || key) {
      v1::LearnerAction action;
      action.set_kind(quick.kind);
      Log(context, form, action, quick.label);
    }
    if (quick.scancode) {
      HelpTooltip(fmt::format("Log: {} [{}]", quick.label,
                              SDL_GetScancodeName(static_cast<SDL_Scancode>(quick.scancode)))
                      .c_str());
    }
  }

  const double weight_kg = context.view.session.patient().weight_kg();
  ImGui::SetNextItemWidth(90);
  ImGui::InputDouble("mL/kg", &form.fluid_ml_per_kg, 0, 0, "%.0f");
  ImGui::SameLine();
  if (ImGui::Button("Fluid bolus")) {
    v1::LearnerAction action;
    action.set_kind(v1::ACTION_KIND_FLUID_BOLUS);
    action.set_volume_ml(form.fluid_ml_per_kg * weight_kg);
    Log(context, form, action, fmt::format("fluid bolus {:.0f} mL", action.volume_ml()));
  }
  HelpTooltip(
      fmt::format("{:.0f} mL at {:g} kg", form.fluid_ml_per_kg * weight_kg, weight_kg).c_str());
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  ImGui::InputDouble("J/kg", &form.energy_j_per_kg, 0, 0, "%.1f");
  ImGui::SameLine();
  for (const auto& [kind, label] :
       {std::pair{v1::ACTION_KIND_DEFIBRILLATION, "Shock"},
        std::pair{v1::ACTION_KIND_SYNCHRONIZED_CARDIOVERSION, "Sync"}}) {
    if (ImGui::Button(label)) {
      v1::LearnerAction action;
      action.set_kind(kind);
      action.set_energy_j(form.energy_j_per_kg * weight_kg);
      Log(context, form, action, fmt::format("{} {:.0f} J", label, action.energy_j()));
    }
    HelpTooltip(
        fmt::format("{:.0f} J at {:g} kg", form.energy_j_per_kg * weight_kg, weight_kg).c_str());
    ImGui::SameLine();
  }
  ImGui::NewLine();
  ImGui::Separator();
  DrawDrug(context, form, weight_kg);
}

}  // namespace pedisim::dashboard
