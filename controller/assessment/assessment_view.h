#pragma once

#include <vector>

#include "pedisim/v1/assessment.pb.h"

namespace pedisim::assessment {

// Totals per ACGME competency over `items`, in the Competency enum's
// order, each competency an item names counting it once.
std::vector<v1::CompetencyTotal> CompetencyTotals(
    const google::protobuf::RepeatedPtrField<v1::ItemGrade>& items);

// What a learner may see of `full`: everything once released (without
// score percentages in formative mode, which gives feedback, not marks);
// before, only the items and their deadlines (withheld = true): even a
// countdown that stops would tell that an action counted.
v1::Assessment LearnerView(const v1::Assessment& full);
// The same, in place: the fan-out makes the learners' view of every
// published assessment, and a copy per publish is what it saves.
void ToLearnerView(v1::Assessment& assessment);

}  // namespace pedisim::assessment
