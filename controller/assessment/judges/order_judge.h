#pragma once

#include <optional>

#include "controller/assessment/judges/judge.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::assessment {

// An order constraint: met when a `then` action follows a `first` one, wrong
// when a `then` action comes first, not applicable when none ever comes.
class OrderJudge : public Judge {
 public:
  OrderJudge(const v1::OrderConstraint& order, double weight_kg);

  Ruling OnAction(const ActionSeen& seen) override;
  Ruling AtEnd(double ended_s, double now_s) override;

 private:
  const v1::OrderConstraint& order_;
  const double weight_kg_;
  // The first action that counted as `first`.
  std::optional<v1::Evidence> first_done_;
};

}  // namespace pedisim::assessment
