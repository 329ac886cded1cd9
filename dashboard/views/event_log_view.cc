#include "views/event_log_view.h"

#include <strings.h>

#include <algorithm>

#include "views/vital_info.h"

namespace pedisim::dashboard {
namespace {

constexpr const char* kAgentNames[] = {"other",    "learner", "instructor",
                                       "scenario", "device",  "system"};

ImU32 AgentColor(v1::Agent agent) {
  switch (agent) {
    case v1::AGENT_LEARNER:
      return colors::kSpo2;
    case v1::AGENT_INSTRUCTOR:
      return colors::kCurrentState;
    case v1::AGENT_SCENARIO:
      return colors::kStateText;
    case v1::AGENT_DEVICE:
      return colors::kTemperature;
    default:
      return colors::kMuted;
  }
}

}  // namespace

bool EventPasses(const v1::Event& event, const EventLogFilter& filter) {
  const auto agent = static_cast<size_t>(event.agent());
  if (agent < filter.agents.size() && !filter.agents[agent]) return false;
  if (filter.text[0] == '\0') return true;
  return strcasestr(event.summary().c_str(), filter.text) != nullptr ||
         strcasestr(event.source().c_str(), filter.text) != nullptr;
}

void DrawEventLog(std::span<const v1::Event> events, EventLogFilter& filter) {
  ImGui::SetNextItemWidth(180);
  ImGui::InputTextWithHint("##filter", "filter text", filter.text, sizeof(filter.text));
  for (size_t agent = 1; agent < filter.agents.size(); ++agent) {
    ImGui::SameLine();
    ImGui::Checkbox(kAgentNames[agent], &filter.agents[agent]);
  }
  ImGui::SameLine();
  ImGui::Checkbox("follow", &filter.follow);

  std::vector<const v1::Event*> shown;
  shown.reserve(events.size());
  for (const v1::Event& event : events) {
    if (EventPasses(event, filter)) shown.push_back(&event);
  }
  const ImGuiTableFlags flags =
      ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("events", 4, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("time", ImGuiTableColumnFlags_WidthFixed, 58);
  ImGui::TableSetupColumn("who", ImGuiTableColumnFlags_WidthFixed, 90);
  ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch, 3);
  ImGui::TableSetupColumn("because of", ImGuiTableColumnFlags_WidthStretch, 1.6f);
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(shown.size()));
  while (clipper.Step()) {
    for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
      const v1::Event& event = *shown[row];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextColored(ToVec4(colors::kMuted), "%s", ClockText(event.sim_time_s()).c_str());
      ImGui::TableNextColumn();
      const auto agent = static_cast<size_t>(event.agent());
      ImGui::TextColored(
          ToVec4(AgentColor(event.agent())), "%s",
          event.source().empty() ? kAgentNames[agent < 6 ? agent : 0] : event.source().c_str());
      ImGui::TableNextColumn();
      ImGui::TextColored(
          ToVec4(event.kind() == v1::EVENT_KIND_BOOKMARK ? colors::kBookmark : colors::kStateText),
          "#%llu %s", static_cast<unsigned long long>(event.id()), event.summary().c_str());
      ImGui::TableNextColumn();
      if (event.cause_event_id() != 0) {
        const v1::Event* cause = FindEvent(events, event.cause_event_id());
        ImGui::TextColored(ToVec4(colors::kMuted), "#%llu %s",
                           static_cast<unsigned long long>(event.cause_event_id()),
                           cause ? cause->summary().c_str() : "");
      }
    }
  }
  if (filter.follow) ImGui::SetScrollY(ImGui::GetScrollMaxY());
  ImGui::EndTable();
}

}  // namespace pedisim::dashboard
