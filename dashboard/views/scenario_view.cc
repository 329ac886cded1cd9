#include "views/scenario_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "model/drug_levels.h"
#include "views/state_graph_layout.h"
#include "views/vital_info.h"

namespace pedisim::dashboard {
namespace {

std::set<std::string> VisitedStates(const SessionView& view) {
  std::set<std::string> visited;
  for (const v1::Event& event : view.events) {
    if (event.kind() == v1::EVENT_KIND_STATE_ENTERED)
      visited.insert(event.state_change().to_state());
  }
  return visited;
}

void DrawGraph(const ViewContext& context, const v1::Scenario& scenario, ImVec2 size) {
  const SessionView& view = context.view;
  const GraphLayout layout = LayOutStates(scenario);
  if (layout.nodes.empty()) return;
  const std::set<std::string> visited = VisitedStates(view);
  std::set<std::string> pending_targets;
  for (const v1::State& state : scenario.states()) {
    if (state.name() != view.current_state) continue;
    for (const v1::Transition& next : state.transitions()) pending_targets.insert(next.to_state());
  }

  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float cell_w = size.x / static_cast<float>(layout.columns);
  const float cell_h = size.y / static_cast<float>(std::max(layout.rows, 1));
  const float node_w = std::min(190.0f, cell_w - 14);
  const float node_h = std::min(38.0f, cell_h - 8);
  auto node_min = [&](const GraphNode& node) {
    return ImVec2(origin.x + cell_w * static_cast<float>(node.column) + (cell_w - node_w) / 2,
                  origin.y + cell_h * static_cast<float>(node.row) + (cell_h - node_h) / 2);
  };

  for (const v1::State& state : scenario.states()) {
    const GraphNode& from = layout.nodes[layout.index.at(state.name())];
    for (const v1::Transition& transition : state.transitions()) {
      const auto target = layout.index.find(transition.to_state());
      if (target == layout.index.end()) continue;
      const GraphNode& to = layout.nodes[target->second];
      const bool next = state.name() == view.current_state;
      const ImU32 color = next ? colors::kCurrentState : colors::kEdge;
      const float thickness = next ? 2.5f : 1.2f;
      const ImVec2 a = node_min(from);
      const ImVec2 b = node_min(to);
      if (to.column > from.column) {
        const ImVec2 start(a.x + node_w, a.y + node_h / 2);
        const ImVec2 end(b.x, b.y + node_h / 2);
        draw->AddBezierCubic(start, ImVec2(start.x + 30, start.y), ImVec2(end.x - 30, end.y), end,
                             color, thickness);
        draw->AddTriangleFilled(end, ImVec2(end.x - 8, end.y - 4), ImVec2(end.x - 8, end.y + 4),
                                color);
      } else {
        // Back or sideways: an arc over the top of the boxes.
        const ImVec2 start(a.x + node_w / 2 + 6, a.y);
        const ImVec2 end(b.x + node_w / 2 - 6, b.y);
        const float lift = 18 + 6 * static_cast<float>(std::abs(from.column - to.column));
        draw->AddBezierCubic(start, ImVec2(start.x, start.y - lift), ImVec2(end.x, end.y - lift),
                             end, color, thickness);
        draw->AddTriangleFilled(end, ImVec2(end.x - 4, end.y - 8), ImVec2(end.x + 4, end.y - 8),
                                color);
      }
    }
  }

  for (const GraphNode& node : layout.nodes) {
    const ImVec2 min = node_min(node);
    const ImVec2 max(min.x + node_w, min.y + node_h);
    const bool current = node.state == view.current_state;
    const ImU32 fill = current                     ? colors::kCurrentState
                       : visited.count(node.state) ? colors::kVisitedState
                                                   : colors::kOtherState;
    draw->AddRectFilled(min, max, fill);
    if (pending_targets.count(node.state) && !current) {
      draw->AddRect(min, max, colors::kCurrentState, 0, 0, 2);
    }
    ImFont* font = context.fonts.small;
    const ImVec2 text = font->CalcTextSizeA(font->FontSize, 1e9f, 0, node.state.c_str());
    const ImVec4 clip(min.x + 4, min.y, max.x - 4, max.y);
    draw->AddText(
        font, font->FontSize,
        ImVec2(std::max(min.x + 4, (min.x + max.x - text.x) / 2), (min.y + max.y - text.y) / 2),
        current ? IM_COL32(0, 0, 0, 255) : colors::kStateText, node.state.c_str(), nullptr, 0,
        &clip);
    ImGui::SetCursorScreenPos(min);
    ImGui::PushID(node.state.c_str());
    if (ImGui::InvisibleButton("state", ImVec2(node_w, node_h)) && context.commands && !current) {
      context.commands->GoToState(node.state);
    }
    ImGui::PopID();
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip("%s%s", node.state.c_str(),
                        context.commands && !current ? "\nClick: go to this state now" : "");
    }
  }
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + size.y));
}

void DrawPending(const ViewContext& context) {
  const SessionView& view = context.view;
  if (!view.pending_current()) {
    ImGui::TextColored(ToVec4(colors::kMuted), "updating what can fire next...");
    return;
  }
  if (view.session.pending_transitions().empty()) {
    ImGui::TextColored(ToVec4(colors::kMuted), "No transition can fire from here.");
    return;
  }
  // Simulated time that passed since the snapshot the list came with.
  const double since_snapshot = view.sim_time_s - view.session.sim_time_s();
  int number = 0;
  for (const v1::PendingTransition& pending : view.session.pending_transitions()) {
    ++number;
    ImGui::PushID(number);
    if (context.commands) {
      if (ImGui::SmallButton("Go") ||
          (number <= 9 && ShortcutPressed(SDL_SCANCODE_1 + number - 1, /*ctrl=*/true))) {
        context.commands->GoToState(pending.to_state());
      }
      HelpTooltip(fmt::format("Force this transition now [Ctrl+{}]", number).c_str());
      ImGui::SameLine();
    }
    ImGui::TextColored(ToVec4(colors::kCurrentState), "-> %s", pending.to_state().c_str());
    ImGui::SameLine();
    std::string waits = pending.waiting_for();
    if (pending.has_fires_in_s()) {
      waits +=
          fmt::format("  (in {})", ClockText(std::max(0.0, pending.fires_in_s() - since_snapshot)));
    }
    ImGui::TextWrapped("%s: %s", pending.label().empty() ? "(no label)" : pending.label().c_str(),
                       waits.c_str());
    ImGui::PopID();
  }
}

}  // namespace

void DrawScenario(const ViewContext& context) {
  const SessionView& view = context.view;
  ImGui::PushFont(context.fonts.bold);
  ImGui::TextColored(ToVec4(colors::kCurrentState), "%s",
                     view.current_state.empty() ? "(no state yet)" : view.current_state.c_str());
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::Text("for %s", ClockText(view.time_in_state_s()).c_str());
  if (!view.scenario) {
    ImGui::TextColored(ToVec4(colors::kMuted), "loading the scenario...");
    return;
  }
  // The modelled drugs acting now: one more reason the vitals read as they
  // do, for as long as each lasts.
  for (const DrugLevelLine& line : DrugLevelLines(view.vitals)) {
    ImGui::TextColored(ToVec4(colors::kWarn), "%s  level %.2f", line.drug.c_str(), line.level);
    ImGui::SameLine();
    ImGui::TextUnformatted(line.changes.c_str());
    HelpTooltip(
        "A modelled drug acting now (pharmacology): its effect-site level in usual doses "
        "(1 = the usual IV dose's peak) and what it adds to each vital");
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float pending_height = std::min(avail.y * 0.4f, 130.0f);
  DrawGraph(context, *view.scenario, ImVec2(avail.x, std::max(60.0f, avail.y - pending_height)));
  ImGui::Separator();
  DrawPending(context);
}

}  // namespace pedisim::dashboard
