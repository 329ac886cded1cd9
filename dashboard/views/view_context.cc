#include "views/view_context.h"

#include <imgui_internal.h>

#include <algorithm>

namespace pedisim::dashboard {

bool ShortcutsActive() { return !ImGui::GetIO().WantTextInput; }

bool ShortcutPressed(int scancode, bool ctrl) {
  const ImGuiIO& io = ImGui::GetIO();
  // Inside BeginDisabled() a key does no more than the greyed-out button.
  if (ImGui::GetCurrentContext()->CurrentItemFlags & ImGuiItemFlags_Disabled) return false;
  return ShortcutsActive() && io.KeyCtrl == ctrl && !io.KeyAlt &&
         ImGui::IsKeyPressed(scancode, /*repeat=*/false);
}

const v1::Event* FindEvent(std::span<const v1::Event> events, uint64_t id) {
  const auto found =
      std::lower_bound(events.begin(), events.end(), id,
                       [](const v1::Event& event, uint64_t wanted) { return event.id() < wanted; });
  return found != events.end() && found->id() == id ? &*found : nullptr;
}

void HelpTooltip(const char* text) {
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", text);
}

}  // namespace pedisim::dashboard
