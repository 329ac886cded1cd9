#pragma once

// Diagnostic tests (blood gas, blood culture, ...): which test an action
// orders, and which of the scenario's results a release shows. One place
// for both, so the engine's rule matching, the lint and the release RPC
// agree on what "ordered blood gas" means.

#include <array>
#include <string>
#include <string_view>

#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::scenario {

// The tests the learners' menus offer by name; a scenario may define
// results for any other name too.
inline constexpr std::array<std::string_view, 6> kLibraryTests = {
    "blood_culture", "blood_gas", "lactate", "glucose", "chest_xray", "ecg_12_lead"};

// The name a bedside glucose check (ACTION_KIND_GLUCOSE_CHECK) orders under.
inline constexpr std::string_view kGlucoseTest = "glucose";

// The test an action orders: LearnerAction.diagnostic for
// ACTION_KIND_DIAGNOSTIC_ORDERED, "glucose" for ACTION_KIND_GLUCOSE_CHECK,
// empty for every other action.
std::string OrderedTest(const v1::LearnerAction& action);

// The result a release of `test` shows while the session is in `state`: the
// first result of that test naming the state, else the first naming no
// state; nullptr when the scenario defines none. Test names compare without
// regard to case.
const v1::DiagnosticResult* ResultFor(const v1::Scenario& scenario, std::string_view test,
                                      std::string_view state);

// "pH 7.28, pCO2 7.1 kPa": measured values as event summaries and the
// console show them.
std::string DescribeValues(const google::protobuf::RepeatedPtrField<v1::DiagnosticValue>& values);

// Whether the scenario defines any result for `test`.
bool HasResultFor(const v1::Scenario& scenario, std::string_view test);

}  // namespace pedisim::scenario
