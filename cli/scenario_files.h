// Scenario and action files read on the client's machine, with what the
// client itself must know of them: the fragments a scenario includes (sent
// along, since the controller may run elsewhere) and the end state an action
// file expects.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "pedisim/v1/scenario_service.pb.h"

namespace pedisim::cli {

// The `include` entries of a scenario file's text (YAML or JSON), as
// written; none when the text does not parse or has no such list, since
// the controller reports those problems itself.
std::vector<std::string> IncludedFileNames(const std::string& scenario_text);

// Fills `request` from the scenario file at `path`: its name (as given),
// its content and the content of each fragment it includes, read relative
// to the file's folder and keyed by the entry as written. Returns false and
// sets `error` when the scenario file cannot be read. A fragment that cannot
// be read is left out, so the controller reports it at its include entry;
// `fragment_errors` says why it could not be read.
bool ReadScenarioRequest(const std::string& path, v1::ValidateScenarioRequest* request,
                         std::vector<std::string>* fragment_errors, std::string* error);

// An action file's expected_end_state; empty when unset or unparsable.
std::string ExpectedEndState(const std::string& action_script_text);

// The action file's expected_grades (item name -> grade as written, e.g.
// "met_late"); empty when it has none or does not parse.
std::map<std::string, std::string> ExpectedGrades(const std::string& action_script_text);

}  // namespace pedisim::cli
