// Where each state of a scenario goes in the graph: columns by distance
// from the initial state (breadth first along transitions), states of a
// column stacked in scenario order. Pure logic, in unit coordinates.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pedisim/v1/scenario.pb.h"

namespace pedisim::dashboard {

struct GraphNode {
  std::string state;
  int column = 0;
  int row = 0;
};

struct GraphLayout {
  std::vector<GraphNode> nodes;
  std::map<std::string, size_t> index;  // state name -> nodes index
  int columns = 0;
  int rows = 0;  // the tallest column
};

// States unreachable from the initial one go in a last column.
GraphLayout LayOutStates(const v1::Scenario& scenario);

}  // namespace pedisim::dashboard
