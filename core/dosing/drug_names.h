#pragma once

#include <grpcpp/support/status.h>

#include <string>
#include <vector>

#include "pedisim/v1/scenario.pb.h"

namespace pedisim::dosing {

// Every drug name a scenario knows, lower case and sorted: its guideline
// set's drug table (names and aliases), its pharmacology models (names and
// aliases), and every drug its handlers, rules and conditions name.
std::vector<std::string> KnownDrugNames(const v1::Scenario& scenario);

// OK when `drug` is one of `known` (case-insensitive) or `known` is empty
// (a scenario with no drug table checks nothing); otherwise
// INVALID_ARGUMENT naming `field`, with the closest known name ("did you
// mean") or the list, and how to record a drug the table does not list.
grpc::Status CheckDrugName(const std::vector<std::string>& known, const std::string& drug,
                           const std::string& field);

}  // namespace pedisim::dosing
