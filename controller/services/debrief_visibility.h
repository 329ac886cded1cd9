#pragma once

// What a learner may see of a session, live or recorded: everything but the
// assessment until the scores are released, then the assessment as
// AssessmentService shows it to learners; never what the scenario waits for
// (its pending and scheduled transitions). Every debrief output (replays and
// reports) passes through these, so no path shows more. Diagnostic results
// need no filter here: the scenario's results enter no event, snapshot or
// record until an instructor releases one
// (SessionService.ReleaseDiagnosticResult), and then learners may see it.

#include "controller/recording/session_digest.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::services {

// Grades, omissions, dose flags, instructors' grade changes, visibility.
bool IsAssessmentEvent(const v1::Event& event);

// An event a learner may not see: an assessment event before release, and
// ever a scheduled transition (what the scenario waits for) or a shock's
// outcome (its odds; learners see the rhythm).
bool HiddenFromLearner(const v1::Event& event, bool released);

// A session as a learner may see it, live or recorded: the assessment as
// released (the learner's view), and neither the devices' pairing code, the
// scenario's pending transitions (what it waits for) nor where the server
// keeps its data.
void ShowLearner(v1::Session* session);

// One replayed update for a learner of a recording whose scores were (or
// were not) released by its end; false drops it.
bool ShowLearner(v1::SessionUpdate* update, bool released);

// A digest for a learner: the same rules over its events, assessment and
// final session.
void ShowLearner(recording::SessionDigest* digest);

}  // namespace pedisim::services
