// Human rendering of a session's performance report (AssessmentService).
#pragma once

#include <string>

#include "pedisim/v1/assessment.pb.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::cli {

// The report: a header from the session, then each item with its grade,
// when it was decided and why, and the events that decided it; the dose
// checks; CPR quality against its targets; competency totals.
std::string FormatReport(const v1::Session& session, const v1::Assessment& assessment);

// Every drug dose checked against the guideline table, in range or not, one
// line each; empty when no drug was given.
std::string FormatDoseChecks(const v1::Assessment& assessment);

}  // namespace pedisim::cli
