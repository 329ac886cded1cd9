// A scenario's state machine as a Graphviz graph.
#pragma once

#include <string>

#include "pedisim/v1/scenario.pb.h"

namespace pedisim::cli {

// DOT text: one node per state (terminal states double-bordered, the
// initial state bold with an arrow from a start dot), one edge per
// transition labelled with its trigger in words and its label. Instructor
// choices are dashed, since only an instructor takes them.
std::string ScenarioDot(const v1::Scenario& scenario);

}  // namespace pedisim::cli
