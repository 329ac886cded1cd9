#include "views/devices_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "views/vital_info.h"

namespace pedisim::dashboard {
namespace {

void StatusText(v1::DeviceStatus status) {
  switch (status) {
    case v1::DEVICE_STATUS_CONNECTED:
      ImGui::TextColored(ToVec4(colors::kGood), "connected");
      break;
    case v1::DEVICE_STATUS_DISCONNECTED:
      ImGui::TextColored(ToVec4(colors::kWarn), "disconnected");
      break;
    case v1::DEVICE_STATUS_FAULT:
      ImGui::TextColored(ToVec4(colors::kBad), "FAULT");
      break;
    default:
      ImGui::TextColored(ToVec4(colors::kMuted), "?");
  }
}

// The room's monitors and defibrillators among the devices (pedisim-monitor
// names its model so).
int RoomDevices(const v1::Session& session) {
  int count = 0;
  for (const v1::Device& device : session.devices()) {
    count += device.status() == v1::DEVICE_STATUS_CONNECTED &&
             device.identity().model().rfind("pedisim-monitor", 0) == 0;
  }
  return count;
}

void DrawRoomDisplay(const ViewContext& context) {
  const v1::Session& session = context.view.session;
  const v1::RoomDisplay& current = session.room_display();
  ImGui::Separator();
  ImGui::Text("Room monitors: %d connected", RoomDevices(session));
  if (context.commands == nullptr) return;
  v1::RoomDisplay next = current;
  bool changed = false;
  const v1::RoomScreen screen =
      current.screen() == v1::ROOM_SCREEN_UNSPECIFIED ? v1::ROOM_SCREEN_LIVE : current.screen();
  for (const auto& [value, label] :
       {std::pair{v1::ROOM_SCREEN_LIVE, "Live"}, std::pair{v1::ROOM_SCREEN_BLANK, "Blank"},
        std::pair{v1::ROOM_SCREEN_FROZEN, "Freeze"}}) {
    ImGui::SameLine();
    if (ImGui::RadioButton(label, screen == value) && screen != value) {
      next.set_screen(value);
      changed = true;
    }
  }
  HelpTooltip(
      "What the learners' monitors show: the patient live, nothing, or the last "
      "picture held (a debrief)");
  // Volume in steps: the monitors' own setting, mute, or a level.
  constexpr int kVolumes[] = {-1, 0, 25, 50, 75, 100};
  const char* const kVolumeNames[] = {"monitor's own", "muted", "25 %", "50 %", "75 %", "100 %"};
  int chosen = 0;
  for (int i = 0; i < 6; ++i) {
    if (current.has_volume_pct() && kVolumes[i] == static_cast<int>(current.volume_pct())) {
      chosen = i;
    }
  }
  ImGui::SetNextItemWidth(140);
  if (ImGui::Combo("volume", &chosen, kVolumeNames, 6)) {
    if (kVolumes[chosen] < 0) {
      next.clear_volume_pct();
    } else {
      next.set_volume_pct(static_cast<uint32_t>(kVolumes[chosen]));
    }
    changed = true;
  }
  HelpTooltip("Alarm and pulse-tone volume of the room's monitors");
  // Waveform rows: the monitors' own setting, or 2 to 6.
  const char* const kRowNames[] = {"monitor's own", "2 rows", "3 rows",
                                   "4 rows",        "5 rows", "6 rows"};
  int rows_chosen = current.has_wave_rows() ? static_cast<int>(current.wave_rows()) - 1 : 0;
  rows_chosen = std::clamp(rows_chosen, 0, 5);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(140);
  if (ImGui::Combo("waves", &rows_chosen, kRowNames, 6)) {
    if (rows_chosen == 0) {
      next.clear_wave_rows();
    } else {
      next.set_wave_rows(static_cast<uint32_t>(rows_chosen + 1));
    }
    changed = true;
  }
  HelpTooltip(
      "Waveform rows on the room's monitors: 2 ECG II and pleth, 3 + capnogram, 4 + "
      "respiration, 5 and 6 cascade ECG II over two and three rows");
  ImGui::Text("Show:");
  for (const char* vital : {"heart_rate_bpm", "spo2_pct", "respiratory_rate_bpm", "etco2_mmhg",
                            "nibp_systolic_mmhg", "temperature_c"}) {
    const auto& hidden = current.hidden_vitals();
    bool shown = std::find(hidden.begin(), hidden.end(), vital) == hidden.end();
    ImGui::SameLine();
    const VitalInfo* info = FindVital(vital);
    if (ImGui::Checkbox(info ? info->label : vital, &shown)) {
      next.clear_hidden_vitals();
      for (const std::string& name : hidden) {
        if (name != vital) next.add_hidden_vitals(name);
      }
      if (!shown) next.add_hidden_vitals(vital);
      changed = true;
    }
  }
  if (changed) context.commands->SetRoomDisplay(next, "room monitors");
}

}  // namespace

void DrawDevices(const ViewContext& context) {
  const v1::Session& session = context.view.session;
  if (!session.missing_capabilities().empty()) {
    std::string missing;
    for (const std::string& capability : session.missing_capabilities()) {
      missing += (missing.empty() ? "" : ", ") + capability;
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ToVec4(colors::kWarn));
    ImGui::TextWrapped("Missing: %s", missing.c_str());
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip("The scenario needs these, and no attached device provides them");
    }
  }
  if (session.devices().empty()) {
    ImGui::TextColored(ToVec4(colors::kMuted), "No devices attached.");
  }
  if (!ImGui::BeginTable("devices", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    return;
  }
  ImGui::TableSetupColumn("device", ImGuiTableColumnFlags_WidthStretch, 2);
  ImGui::TableSetupColumn("status", ImGuiTableColumnFlags_WidthStretch, 1.3f);
  ImGui::TableSetupColumn("link", ImGuiTableColumnFlags_WidthStretch, 1);
  ImGui::TableSetupColumn("latency", ImGuiTableColumnFlags_WidthStretch, 1);
  for (const v1::Device& device : session.devices()) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::Text("%s", device.name().c_str());
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip(
          "%s %s (serial %s, firmware %s)\n%s", device.identity().manufacturer().c_str(),
          device.identity().model().c_str(), device.identity().serial().c_str(),
          device.identity().firmware_version().c_str(), device.status_detail().c_str());
    }
    ImGui::TableNextColumn();
    StatusText(device.status());
    ImGui::TableNextColumn();
    ImGui::Text("%s",
                device.transport().empty() ? device.adapter().c_str() : device.transport().c_str());
    ImGui::TableNextColumn();
    if (device.transport().empty()) {
      ImGui::TextColored(ToVec4(colors::kMuted), "in process");
    } else {
      ImGui::Text("%.1f ms", device.latency_ms());
    }
  }
  ImGui::EndTable();
  DrawRoomDisplay(context);
}

}  // namespace pedisim::dashboard
