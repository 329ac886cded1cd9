#include "views/view_context.h"

#include <imgui_internal.h>

namespace pedisim::dashboard {

bool ShortcutsActive() { return !ImGui::GetIO().WantTextInput; }

bool ShortcutPressed(int scancode, bool ctrl) {
  const ImGuiIO& io = ImGui::GetIO();
  // Inside BeginDisabled() a key does no more than the greyed-out button.
  if (ImGui::GetCurrentContext()->CurrentItemFlags & ImGuiItemFlags_Disabled) return false;
  return ShortcutsActive() && io.KeyCtrl == ctrl && !io.KeyAlt &&
         ImGui::IsKeyPressed(scancode, /*repeat=*/false);
}

void HelpTooltip(const char* text) {
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", text);
}

}  // namespace pedisim::dashboard
