#include "views/devices_view.h"

#include <fmt/format.h>

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
}

}  // namespace pedisim::dashboard
