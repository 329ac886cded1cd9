// Checks of the scenario's diagnostic results (Scenario.diagnostic_results)
// and the lint tying them to the rules that wait for tests to be ordered.
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/scenario/check_parts.h"
#include "core/scenario/diagnostic_results.h"
#include "core/scenario/spelling.h"
#include "core/text/words.h"

namespace pedisim::scenario::checks {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

using TriggerVisit = std::function<void(const v1::ActionTrigger&, const std::string& path)>;

// Every ActionTrigger anywhere in `message` (transitions, handlers, critical
// actions and their alternatives, order constraints, commission rules,
// quantities, conditions at any depth), with its field path. Found by
// reflection so that a rule kind added later is not missed.
void ForEachActionTrigger(const Message& message, const std::string& path,
                          const TriggerVisit& visit) {
  if (message.GetDescriptor() == v1::ActionTrigger::descriptor()) {
    visit(static_cast<const v1::ActionTrigger&>(message), path);
    return;
  }
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || field->is_map()) continue;
    const std::string field_path = (path.empty() ? "" : path + ".") + std::string(field->name());
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        ForEachActionTrigger(reflection->GetRepeatedMessage(message, field, i),
                             Indexed(field_path, i), visit);
      }
    } else {
      ForEachActionTrigger(reflection->GetMessage(message, field), field_path, visit);
    }
  }
}

bool Blank(const std::string& text) { return text.find_first_not_of(" \t") == std::string::npos; }

}  // namespace

void CheckDiagnosticResults(const v1::Scenario& scenario,
                            const std::vector<std::string>& state_names, DiagnosticSink& sink) {
  // (test, state) pairs seen, "" for "every other state": a second result
  // for one of them would never be shown.
  std::set<std::pair<std::string, std::string>> seen;
  for (int i = 0; i < scenario.diagnostic_results_size(); ++i) {
    const v1::DiagnosticResult& result = scenario.diagnostic_results(i);
    const std::string path = Indexed("diagnostic_results", i);
    if (Blank(result.diagnostic())) {
      sink.ErrorAtKey(path + ".diagnostic",
                      "diagnostic result names no test; set diagnostic (blood_gas, ...)");
    }
    if (Blank(result.text()) && result.values().empty()) {
      sink.ErrorAtKey(path, "diagnostic result for " + Quoted(result.diagnostic()) +
                                " shows nothing; set text, values or both");
    }
    for (int j = 0; j < result.values_size(); ++j) {
      if (Blank(result.values(j).name())) {
        sink.ErrorAtKey(Indexed(path + ".values", j) + ".name",
                        "value has no name; say what was measured (pH, pCO2, ...)");
      }
    }
    const std::string test = text::Lower(result.diagnostic());
    if (result.states().empty() && !seen.emplace(test, "").second) {
      sink.ErrorAtKey(path, "a second result for " + Quoted(result.diagnostic()) +
                                " in every state would never be shown; name its states");
    }
    for (int j = 0; j < result.states_size(); ++j) {
      const std::string& state = result.states(j);
      const std::string state_path = Indexed(path + ".states", j);
      if (!Contains(state_names, state)) {
        sink.ErrorAtValue(state_path, NotAStateMessage("state", state, state_names));
      } else if (!seen.emplace(test, state).second) {
        sink.ErrorAtValue(state_path, "a result for " + Quoted(result.diagnostic()) + " in state " +
                                          Quoted(state) +
                                          " is already defined; this one would never be shown");
      }
    }
  }
}

void LintDiagnostics(const v1::Scenario& scenario, DiagnosticSink& sink) {
  std::set<std::string> waited_for;
  ForEachActionTrigger(
      scenario, "", [&](const v1::ActionTrigger& trigger, const std::string& path) {
        if (trigger.kind() != v1::ACTION_KIND_DIAGNOSTIC_ORDERED || Blank(trigger.diagnostic())) {
          return;
        }
        waited_for.insert(text::Lower(trigger.diagnostic()));
        if (HasResultFor(scenario, trigger.diagnostic())) return;
        std::vector<std::string> defined;
        for (const v1::DiagnosticResult& result : scenario.diagnostic_results()) {
          defined.push_back(result.diagnostic());
        }
        std::string message = "this rule waits for " + Quoted(trigger.diagnostic()) +
                              " to be ordered, but the scenario defines no result for it, so the "
                              "instructor has none to release";
        if (std::optional<std::string> suggestion = SuggestClosest(trigger.diagnostic(), defined)) {
          message += "; did you mean " + Quoted(*suggestion) + "?";
        } else {
          message += "; add one under diagnostic_results";
        }
        sink.WarningAtValue(path + ".diagnostic", std::move(message));
      });
  // A result no rule waits for can still be ordered from the learners' menu
  // when it is one of the library's tests (and glucose by a bedside check);
  // any other name is most likely a misspelling, ordered by nothing.
  for (int i = 0; i < scenario.diagnostic_results_size(); ++i) {
    const std::string& test = scenario.diagnostic_results(i).diagnostic();
    if (Blank(test) || waited_for.contains(text::Lower(test))) continue;
    bool known = false;
    for (std::string_view library_test : kLibraryTests)
      known = known || text::SameWord(test, library_test);
    if (known) continue;
    std::string message = "no rule waits for " + Quoted(test) +
                          " to be ordered and it is not one of the library's tests (" +
                          JoinNames({kLibraryTests.begin(), kLibraryTests.end()}) +
                          "), so only a hand-typed order can reach this result";
    const std::vector<std::string> ordered(waited_for.begin(), waited_for.end());
    if (std::optional<std::string> suggestion = SuggestClosest(test, ordered)) {
      message += "; did you mean " + Quoted(*suggestion) + "?";
    }
    sink.WarningAtValue(Indexed("diagnostic_results", i) + ".diagnostic", std::move(message));
  }
}

}  // namespace pedisim::scenario::checks
