#include "core/scenario/diagnostic_results.h"

#include <algorithm>

#include "core/text/numbers.h"
#include "core/text/words.h"

namespace pedisim::scenario {

std::string OrderedTest(const v1::LearnerAction& action) {
  switch (action.kind()) {
    case v1::ACTION_KIND_DIAGNOSTIC_ORDERED:
      return action.diagnostic();
    case v1::ACTION_KIND_GLUCOSE_CHECK:
      return std::string(kGlucoseTest);
    default:
      return "";
  }
}

const v1::DiagnosticResult* ResultFor(const v1::Scenario& scenario, std::string_view test,
                                      std::string_view state) {
  const v1::DiagnosticResult* any_state = nullptr;
  for (const v1::DiagnosticResult& result : scenario.diagnostic_results()) {
    if (!text::SameWord(result.diagnostic(), test)) continue;
    if (result.states().empty()) {
      if (any_state == nullptr) any_state = &result;
      continue;
    }
    if (std::ranges::find(result.states(), state) != result.states().end()) return &result;
  }
  return any_state;
}

std::string DescribeValues(const google::protobuf::RepeatedPtrField<v1::DiagnosticValue>& values) {
  std::string text;
  for (const v1::DiagnosticValue& value : values) {
    if (!text.empty()) text += ", ";
    text += value.name();
    text += ' ';
    text += text::PlainNumber(value.value(), 6);
    if (!value.unit().empty()) {
      text += ' ';
      text += value.unit();
    }
  }
  return text;
}

bool HasResultFor(const v1::Scenario& scenario, std::string_view test) {
  return std::ranges::any_of(scenario.diagnostic_results(),
                             [test](const v1::DiagnosticResult& result) {
                               return text::SameWord(result.diagnostic(), test);
                             });
}

}  // namespace pedisim::scenario
