#include "scenario_graph.h"

#include "client/console/formatting.h"

namespace pedisim::cli {
namespace {

// A DOT double-quoted string. Inside one, '\' starts Graphviz's label
// escapes (\n, \l); a literal one is doubled.
std::string Quoted(const std::string& text) {
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    if (c == '\n') {
      quoted += "\\n";
      continue;
    }
    quoted += c;
  }
  return quoted + '"';
}

std::string EdgeLabel(const v1::Transition& transition) {
  std::string label = console::FormatTrigger(transition);
  if (transition.delay_s() > 0) label += " (+" + console::FormatSeconds(transition.delay_s()) + ")";
  if (!transition.label().empty()) label += "\n\"" + transition.label() + "\"";
  return label;
}

}  // namespace

std::string ScenarioDot(const v1::Scenario& scenario) {
  // The start dot's name cannot clash with a state's: states are quoted
  // strings, this is a bare identifier of the graph's own.
  constexpr char kStart[] = "scenario_start";
  std::string dot = "digraph " + Quoted(scenario.id()) + " {\n";
  dot += "  graph [label=" + Quoted(scenario.title()) +
         ", labelloc=t, fontname=\"Helvetica\", rankdir=TB];\n";
  dot += "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n";
  dot += "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  dot += std::string("  ") + kStart + " [shape=point, width=0.15, label=\"\"];\n";
  for (const v1::State& state : scenario.states()) {
    // Graphviz draws no second border around a rounded box, so terminal
    // states are square.
    std::string style = state.terminal() ? "" : "rounded";
    if (state.name() == scenario.initial_state()) style += style.empty() ? "bold" : ",bold";
    dot += "  " + Quoted(state.name()) + " [style=" + Quoted(style);
    if (state.terminal()) dot += ", peripheries=2";
    dot += "];\n";
  }
  if (!scenario.initial_state().empty()) {
    dot += std::string("  ") + kStart + " -> " + Quoted(scenario.initial_state()) + ";\n";
  }
  for (const v1::State& state : scenario.states()) {
    for (const v1::Transition& transition : state.transitions()) {
      dot += "  " + Quoted(state.name()) + " -> " + Quoted(transition.to_state()) +
             " [label=" + Quoted(EdgeLabel(transition));
      if (transition.has_instructor_choice()) dot += ", style=dashed";
      dot += "];\n";
    }
  }
  return dot + "}\n";
}

}  // namespace pedisim::cli
