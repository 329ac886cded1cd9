#pragma once

#include <optional>
#include <string>

#include "controller/assessment/judges/judge.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::assessment {

// An instructor item: pending until the instructor scores it on its scale,
// during the debrief too; met at or above the scale's pass mark.
class InstructorItemJudge : public Judge {
 public:
  explicit InstructorItemJudge(const v1::InstructorItem& item);

  // Scores the item; the refusal's message when the score is off the scale.
  std::optional<std::string> Score(int score, const std::string& comment,
                                   const std::string& instructor, double now_s);

 private:
  const v1::InstructorItem& item_;
};

}  // namespace pedisim::assessment
