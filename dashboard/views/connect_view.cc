#include "views/connect_view.h"

#include <fmt/format.h>

#include "core/text/session_status.h"
#include "views/controls_view.h"
#include "views/vital_info.h"

namespace pedisim::dashboard {
namespace {

constexpr const char* kRoles[] = {"team leader",        "airway",  "compressor", "medications",
                                  "monitor / recorder", "observer"};

void DrawSessions(const CatalogView& catalog, ConnectChoice& choice) {
  if (catalog.sessions.empty()) {
    ImGui::TextColored(ToVec4(colors::kMuted), "No sessions on this controller yet.");
    return;
  }
  if (!ImGui::BeginTable("sessions", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp))
    return;
  ImGui::TableSetupColumn("session");
  ImGui::TableSetupColumn("scenario");
  ImGui::TableSetupColumn("status");
  ImGui::TableSetupColumn("state");
  ImGui::TableSetupColumn("");
  ImGui::TableHeadersRow();
  for (const v1::Session& session : catalog.sessions) {
    ImGui::PushID(session.id().c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%s", session.id().c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%s", session.scenario_title().c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%s  T %s",
                text::IsInterrupted(session) ? "INTERRUPTED" : StatusName(session.status()),
                ClockText(session.sim_time_s()).c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%s", session.current_state().c_str());
    ImGui::TableNextColumn();
    if (ImGui::SmallButton("Open")) {
      choice.kind = ConnectChoice::Kind::kOpenLive;
      choice.session_id = session.id();
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
}

// Archive and Delete ask first, in a modal: a deleted recording is gone.
void DrawConfirmation(ConnectForm& form, ConnectChoice& choice) {
  if (!form.confirm_session_id.empty() && !ImGui::IsPopupOpen("Confirm")) {
    ImGui::OpenPopup("Confirm");
  }
  if (!ImGui::BeginPopupModal("Confirm", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  if (form.confirm_delete) {
    ImGui::Text("Delete the recording of session %s?", form.confirm_session_id.c_str());
    ImGui::TextColored(ToVec4(colors::kMuted),
                       "Its record, events, grades and notes are removed for good.");
  } else {
    ImGui::Text("Archive session %s?", form.confirm_session_id.c_str());
    ImGui::TextColored(ToVec4(colors::kMuted),
                       "It leaves the lists; \"Show archived\" finds it and restores it.");
  }
  if (ImGui::Button(form.confirm_delete ? "Delete" : "Archive")) {
    choice.kind =
        form.confirm_delete ? ConnectChoice::Kind::kDelete : ConnectChoice::Kind::kArchive;
    choice.session_id = form.confirm_session_id;
    form.confirm_session_id.clear();
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGuiKey_Escape)) {
    form.confirm_session_id.clear();
    ImGui::CloseCurrentPopup();
  }
  ImGui::EndPopup();
}

void DrawRecordings(const CatalogView& catalog, ConnectForm& form, ConnectChoice& choice) {
  if (!catalog.recordings_error.empty()) {
    ImGui::TextColored(ToVec4(colors::kMuted), "Recordings unavailable: %s",
                       catalog.recordings_error.c_str());
    return;
  }
  if (ImGui::Checkbox("Show archived", &form.show_archived)) {
    choice.kind = ConnectChoice::Kind::kRelist;
  }
  DrawConfirmation(form, choice);
  if (!ImGui::BeginTable("recordings", 5,
                         ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp))
    return;
  for (const v1::Recording& recording : catalog.recordings) {
    ImGui::PushID(recording.session_id().c_str());
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%s%s", recording.session_id().c_str(), recording.archived() ? " (archived)" : "");
    ImGui::TableNextColumn();
    ImGui::Text("%s", recording.scenario_title().c_str());
    ImGui::TableNextColumn();
    ImGui::Text("%s, ended in %s", ClockText(recording.duration_s()).c_str(),
                recording.outcome().c_str());
    ImGui::TableNextColumn();
    if (ImGui::SmallButton("Debrief")) {
      choice.kind = ConnectChoice::Kind::kOpenDebrief;
      choice.session_id = recording.session_id();
    }
    ImGui::TableNextColumn();
    // Only an ended session is archived or deleted (the controller says
    // why otherwise); a locked one is kept from deletion.
    if (recording.status() == v1::RECORDING_STATUS_COMPLETE) {
      if (recording.archived()) {
        if (ImGui::SmallButton("Restore")) {
          choice.kind = ConnectChoice::Kind::kRestore;
          choice.session_id = recording.session_id();
        }
      } else if (ImGui::SmallButton("Archive")) {
        form.confirm_session_id = recording.session_id();
        form.confirm_delete = false;
      }
    }
    if (recording.status() != v1::RECORDING_STATUS_LIVE && !recording.locked()) {
      ImGui::SameLine();
      if (ImGui::SmallButton("Delete")) {
        form.confirm_session_id = recording.session_id();
        form.confirm_delete = true;
      }
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
}

void DrawNewSession(const CatalogView& catalog, ConnectForm& form, ConnectChoice& choice) {
  if (catalog.scenarios.empty()) {
    ImGui::TextColored(ToVec4(colors::kMuted), "The controller offers no scenarios.");
    return;
  }
  form.scenario = std::clamp(form.scenario, 0, static_cast<int>(catalog.scenarios.size()) - 1);
  const v1::ScenarioSummary& chosen = catalog.scenarios[form.scenario];
  ImGui::SetNextItemWidth(420);
  if (ImGui::BeginCombo("scenario", chosen.title().c_str())) {
    for (int i = 0; i < static_cast<int>(catalog.scenarios.size()); ++i) {
      if (ImGui::Selectable(catalog.scenarios[i].title().c_str(), i == form.scenario))
        form.scenario = i;
    }
    ImGui::EndCombo();
  }
  ImGui::TextWrapped("%s", chosen.description().c_str());
  ImGui::Text("Learners and their roles");
  for (size_t i = 0; i < form.participants.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    ParticipantRow& row = form.participants[i];
    ImGui::SetNextItemWidth(200);
    ImGui::InputTextWithHint("##name", "name", row.name, sizeof(row.name));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(200);
    ImGui::Combo("##role", &row.role, kRoles, static_cast<int>(std::size(kRoles)));
    ImGui::SameLine();
    if (ImGui::SmallButton("remove"))
      form.participants.erase(form.participants.begin() + static_cast<long>(i));
    ImGui::PopID();
  }
  if (ImGui::SmallButton("add learner")) form.participants.emplace_back();
  ImGui::SetNextItemWidth(100);
  const std::string speed = fmt::format("{:g}x", kSpeeds[form.speed]);
  if (ImGui::BeginCombo("speed", speed.c_str())) {
    for (int i = 0; i < static_cast<int>(std::size(kSpeeds)); ++i) {
      if (ImGui::Selectable(fmt::format("{:g}x", kSpeeds[i]).c_str(), i == form.speed))
        form.speed = i;
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::Checkbox("virtual monitor", &form.virtual_monitor);
  ImGui::SameLine();
  ImGui::Checkbox("virtual manikin", &form.virtual_manikin);
  if (ImGui::Button("Create and open")) {
    choice.kind = ConnectChoice::Kind::kCreate;
    choice.create.set_scenario_id(chosen.id());
    choice.create.set_speed(kSpeeds[form.speed]);
    for (const ParticipantRow& row : form.participants) {
      if (row.name[0] == '\0') continue;
      v1::Participant* participant = choice.create.add_participants();
      participant->set_name(row.name);
      participant->set_role(kRoles[row.role]);
    }
    if (form.virtual_monitor) choice.create.add_devices()->set_adapter("virtual-monitor");
    if (form.virtual_manikin) choice.create.add_devices()->set_adapter("virtual-manikin");
  }
}

}  // namespace

ConnectChoice DrawConnect(const CatalogView& catalog, bool connected, ConnectForm& form,
                          const Fonts& fonts) {
  ConnectChoice choice;
  ImGui::PushFont(fonts.bold);
  ImGui::Text("PediSim instructor dashboard");
  ImGui::PopFont();
  ImGui::SetNextItemWidth(300);
  const bool entered = ImGui::InputText("controller", form.address, sizeof(form.address),
                                        ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  if (ImGui::Button("Connect") || entered) choice.kind = ConnectChoice::Kind::kConnect;
  ImGui::SameLine();
  if (!catalog.error.empty()) {
    ImGui::TextColored(ToVec4(colors::kBad), "%s", catalog.error.c_str());
  } else {
    ImGui::TextColored(ToVec4(connected ? colors::kGood : colors::kMuted), "%s",
                       connected ? "connected" : "not connected");
  }
  ImGui::Separator();
  if (ImGui::CollapsingHeader("Sessions", ImGuiTreeNodeFlags_DefaultOpen))
    DrawSessions(catalog, choice);
  if (ImGui::CollapsingHeader("New session", ImGuiTreeNodeFlags_DefaultOpen)) {
    DrawNewSession(catalog, form, choice);
  }
  if (ImGui::CollapsingHeader("Recordings (debrief)", ImGuiTreeNodeFlags_DefaultOpen)) {
    DrawRecordings(catalog, form, choice);
  }
  return choice;
}

}  // namespace pedisim::dashboard
