#include "views/state_graph_layout.h"

#include <algorithm>
#include <deque>

namespace pedisim::dashboard {

GraphLayout LayOutStates(const v1::Scenario& scenario) {
  std::map<std::string, const v1::State*> states;
  for (const v1::State& state : scenario.states()) states[state.name()] = &state;
  std::map<std::string, int> depth;
  std::deque<std::string> queue;
  if (states.count(scenario.initial_state())) {
    depth[scenario.initial_state()] = 0;
    queue.push_back(scenario.initial_state());
  }
  while (!queue.empty()) {
    const std::string name = queue.front();
    queue.pop_front();
    for (const v1::Transition& transition : states[name]->transitions()) {
      if (!states.count(transition.to_state()) || depth.count(transition.to_state())) continue;
      depth[transition.to_state()] = depth[name] + 1;
      queue.push_back(transition.to_state());
    }
  }
  int deepest = 0;
  for (const auto& [name, level] : depth) deepest = std::max(deepest, level);

  GraphLayout layout;
  std::map<int, int> rows_in_column;
  for (const v1::State& state : scenario.states()) {
    const auto found = depth.find(state.name());
    const int column = found != depth.end() ? found->second : deepest + 1;
    GraphNode node{state.name(), column, rows_in_column[column]++};
    layout.index[node.state] = layout.nodes.size();
    layout.nodes.push_back(node);
    layout.columns = std::max(layout.columns, column + 1);
  }
  for (const auto& [column, rows] : rows_in_column) layout.rows = std::max(layout.rows, rows);
  return layout;
}

}  // namespace pedisim::dashboard
