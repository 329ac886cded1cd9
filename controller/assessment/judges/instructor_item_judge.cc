#include "controller/assessment/judges/instructor_item_judge.h"

#include <fmt/format.h>

namespace pedisim::assessment {

InstructorItemJudge::InstructorItemJudge(const v1::InstructorItem& item)
    : Judge(v1::ITEM_TYPE_INSTRUCTOR, item.name(), item.description(), item.competencies(),
            /*window=*/nullptr),
      item_(item) {
  grade_.set_scale_min(item.scale_min());
  grade_.set_scale_max(item.scale_max());
}

std::optional<std::string> InstructorItemJudge::Score(int score, const std::string& comment,
                                                      const std::string& instructor, double now_s) {
  const int scale_min = item_.scale_min();
  const int scale_max = item_.scale_max();
  if (score < scale_min || score > scale_max) {
    return fmt::format("score: {} is off the scale {} to {}", score, scale_min, scale_max);
  }
  // Without a pass mark, the upper half of the scale passes.
  const int met_at =
      item_.has_met_at() ? item_.met_at() : scale_min + (scale_max - scale_min + 1) / 2;
  const std::string label =
      score - scale_min < item_.labels_size() ? " (" + item_.labels(score - scale_min) + ")" : "";
  grade_.set_score(score);
  grade_.set_grade(score >= met_at ? v1::GRADE_MET : v1::GRADE_WRONG);
  grade_.set_reason(fmt::format("scored {}{} on {} to {} by {} (met at {}){}", score, label,
                                scale_min, scale_max, instructor, met_at,
                                comment.empty() ? "" : ": " + comment));
  grade_.set_decided_s(now_s);
  return std::nullopt;
}

}  // namespace pedisim::assessment
