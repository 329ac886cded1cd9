#pragma once

#include <string>

#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/session.pb.h"
#include "pedisim/v1/session_service.pb.h"

namespace pedisim::session {

// The readable lines that event summaries carry.
std::string DescribeAction(const v1::LearnerAction& action);
// "blood_gas result released: pH 7.28, pCO2 6.9 kPa".
std::string DescribeResult(const v1::ReleasedDiagnosticResult& result);
std::string DescribeOverride(const v1::OverrideVitalsRequest& request);
std::string StatusName(v1::SessionStatus status);

}  // namespace pedisim::session
