#include "views/live_screen.h"

#include "views/controls_view.h"
#include "views/devices_view.h"
#include "views/monitor_view.h"
#include "views/performance_view.h"
#include "views/scenario_view.h"

namespace pedisim::dashboard {

bool BeginPanel(const char* title, ImVec2 position, ImVec2 size, bool title_bar) {
  ImGui::SetNextWindowPos(position);
  ImGui::SetNextWindowSize(size);
  ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                           ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                           ImGuiWindowFlags_NoBringToFrontOnFocus;
  if (!title_bar) flags |= ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar;
  return ImGui::Begin(title, nullptr, flags);
}

void LiveScreen::Draw(SessionModel& model, SessionCommands* commands,
                      const std::vector<Notice>& notices, const Fonts& fonts, double now_s) {
  model.CopyInto(view_);
  const ViewContext context{view_, commands, alarms_, fonts, now_s};
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const float bar_height = ImGui::GetFrameHeight() + 14;
  const float body = display.y - bar_height;
  const float left = display.x * 0.58f;
  const float right = display.x - left;
  const float monitor_height = body * 0.62f;
  const float log_width = left * 0.64f;

  if (BeginPanel("##controls", ImVec2(0, 0), ImVec2(display.x, bar_height), false)) {
    DrawControlBar(context, notices);
  }
  ImGui::End();
  if (BeginPanel("Monitor", ImVec2(0, bar_height), ImVec2(left, monitor_height))) {
    model.SetTraceWindows(DrawMonitor(context));
  }
  ImGui::End();
  const ImVec2 lower(0, bar_height + monitor_height);
  if (BeginPanel("Event log", lower, ImVec2(log_width, body - monitor_height))) {
    DrawEventLog(view_.events, log_filter_);
  }
  ImGui::End();
  if (BeginPanel("Devices", ImVec2(log_width, lower.y),
                 ImVec2(left - log_width, body - monitor_height))) {
    DrawDevices(context);
  }
  ImGui::End();

  const float scenario_height = body * 0.36f;
  const float actions_height = body * 0.30f;
  if (BeginPanel("Scenario", ImVec2(left, bar_height), ImVec2(right, scenario_height))) {
    DrawScenario(context);
  }
  ImGui::End();
  if (BeginPanel("Actions", ImVec2(left, bar_height + scenario_height),
                 ImVec2(right, actions_height))) {
    if (ImGui::BeginTabBar("action tabs")) {
      if (ImGui::BeginTabItem("Quick actions")) {
        DrawActions(context, actions_);
        ImGui::EndTabItem();
      }
      if (ImGui::BeginTabItem("Override vitals")) {
        DrawOverrides(context, overrides_);
        ImGui::EndTabItem();
      }
      ImGui::EndTabBar();
    }
  }
  ImGui::End();
  const float performance_top = bar_height + scenario_height + actions_height;
  if (BeginPanel("Performance", ImVec2(left, performance_top),
                 ImVec2(right, display.y - performance_top))) {
    DrawPerformance(context);
  }
  ImGui::End();
}

}  // namespace pedisim::dashboard
