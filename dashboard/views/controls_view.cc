#include "views/controls_view.h"

#include <fmt/format.h>

#include <chrono>

#include "views/vital_info.h"

namespace pedisim::dashboard {
namespace {

ImU32 StatusColor(v1::SessionStatus status) {
  switch (status) {
    case v1::SESSION_STATUS_RUNNING:
      return colors::kGood;
    case v1::SESSION_STATUS_PAUSED:
      return colors::kWarn;
    case v1::SESSION_STATUS_STOPPED:
    case v1::SESSION_STATUS_COMPLETED:
      return colors::kMuted;
    default:
      return colors::kStateText;
  }
}

void DrawStatusButtons(const ViewContext& context) {
  SessionCommands& commands = *context.commands;
  const v1::SessionStatus status = context.view.session.status();
  const bool created = status == v1::SESSION_STATUS_CREATED;
  const bool running = status == v1::SESSION_STATUS_RUNNING;
  const bool paused = status == v1::SESSION_STATUS_PAUSED;

  ImGui::BeginDisabled(!created);
  if (ImGui::Button("Start") || (created && ShortcutPressed(SDL_SCANCODE_F5))) commands.Start();
  ImGui::EndDisabled();
  HelpTooltip("Start the scenario clock [F5]");
  ImGui::SameLine();
  const bool space = ShortcutPressed(SDL_SCANCODE_SPACE);
  if (paused) {
    if (ImGui::Button("Resume") || space) commands.Resume();
    HelpTooltip("Resume from where it paused [Space]");
  } else {
    ImGui::BeginDisabled(!running);
    if (ImGui::Button("Pause") || (running && space)) commands.Pause();
    ImGui::EndDisabled();
    HelpTooltip("Pause at the next step; nothing advances while paused [Space]");
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(!(created || running || paused));
  if (ImGui::Button("Stop") ||
      ((created || running || paused) && ShortcutPressed(SDL_SCANCODE_F8))) {
    ImGui::OpenPopup("Stop the session?");
  }
  ImGui::EndDisabled();
  HelpTooltip("End the session; its record is closed [F8]");
  if (ImGui::BeginPopupModal("Stop the session?", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::Text("Stopping ends the scenario for good.");
    if (ImGui::Button("Stop it") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter))) {
      commands.Stop();
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

void DrawSpeed(const ViewContext& context) {
  const double speed = context.view.session.speed() > 0 ? context.view.session.speed() : 1;
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::Text("Speed");
  ImGui::SameLine();
  if (ImGui::Button("-") || ShortcutPressed(SDL_SCANCODE_MINUS)) {
    context.commands->SetSpeed(StepSpeed(speed, -1));
  }
  HelpTooltip("Slower [-]");
  ImGui::SameLine();
  ImGui::Text("%gx", speed);
  ImGui::SameLine();
  if (ImGui::Button("+") || ShortcutPressed(SDL_SCANCODE_EQUALS)) {
    context.commands->SetSpeed(StepSpeed(speed, +1));
  }
  HelpTooltip("Faster [+]");
}

}  // namespace

const char* StatusName(v1::SessionStatus status) {
  switch (status) {
    case v1::SESSION_STATUS_CREATED:
      return "CREATED";
    case v1::SESSION_STATUS_RUNNING:
      return "RUNNING";
    case v1::SESSION_STATUS_PAUSED:
      return "PAUSED";
    case v1::SESSION_STATUS_STOPPED:
      return "STOPPED";
    case v1::SESSION_STATUS_COMPLETED:
      return "COMPLETED";
    default:
      return "?";
  }
}

double StepSpeed(double speed, int direction) {
  if (direction > 0) {
    for (double step : kSpeeds) {
      if (step > speed + 1e-9) return step;
    }
    return kSpeeds[std::size(kSpeeds) - 1];
  }
  for (auto step = std::rbegin(kSpeeds); step != std::rend(kSpeeds); ++step) {
    if (*step < speed - 1e-9) return *step;
  }
  return kSpeeds[0];
}

void DrawControlBar(const ViewContext& context, const std::vector<Notice>& notices) {
  const SessionView& view = context.view;
  ImGui::PushFont(context.fonts.bold);
  ImGui::AlignTextToFramePadding();
  ImGui::Text("%s", view.session.scenario_title().empty() ? view.session.scenario_id().c_str()
                                                          : view.session.scenario_title().c_str());
  ImGui::SameLine();
  ImGui::TextColored(ToVec4(StatusColor(view.session.status())), "%s",
                     StatusName(view.session.status()));
  ImGui::SameLine();
  ImGui::Text("T %s", ClockText(view.sim_time_s).c_str());
  ImGui::PopFont();
  if (view.session.has_patient()) {
    const v1::Patient& patient = view.session.patient();
    ImGui::SameLine();
    ImGui::TextColored(ToVec4(colors::kMuted), "%s, %.1f kg%s", patient.name().c_str(),
                       patient.weight_kg(), patient.weight_estimated() ? " (est.)" : "");
  }
  ImGui::SameLine();
  ImGui::TextColored(ToVec4(colors::kMuted), "|");
  ImGui::SameLine();
  if (context.commands) {
    DrawStatusButtons(context);
    const v1::SessionStatus status = view.session.status();
    const bool ended =
        status == v1::SESSION_STATUS_STOPPED || status == v1::SESSION_STATUS_COMPLETED;
    ImGui::BeginDisabled(ended);
    DrawSpeed(context);
    ImGui::SameLine();
    if (ImGui::Button("Bookmark") || ShortcutPressed(SDL_SCANCODE_B)) {
      context.commands->Bookmark("Bookmark at " + ClockText(view.sim_time_s));
    }
    HelpTooltip("Mark this moment for the debrief [B]");
    ImGui::EndDisabled();
  }
  ImGui::SameLine();
  if (view.stream != StreamState::kLive) {
    ImGui::TextColored(ToVec4(colors::kWarn), "%s", view.stream_detail.c_str());
  } else if (!notices.empty()) {
    const Notice& last = notices.back();
    const double age =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - last.when).count();
    if (age < 8) {
      ImGui::TextColored(ToVec4(last.error ? colors::kBad : colors::kGood), "%s",
                         last.text.c_str());
    }
  }
}

}  // namespace pedisim::dashboard
