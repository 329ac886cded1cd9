#include "core/dosing/drug_names.h"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <set>

#include "core/checks/message_limits.h"
#include "core/scenario/spelling.h"
#include "core/text/words.h"

namespace pedisim::dosing {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Every string field called `drug` in `message` and below it: trigger
// matches, conditions, dose-error rules, wherever the contract puts one.
void CollectDrugFields(const Message& message, std::set<std::string>* names) {
  const google::protobuf::Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING && field->name() == "drug" &&
        !field->is_repeated()) {
      const std::string value = reflection.GetString(message, field);
      if (!value.empty()) names->insert(text::Lower(value));
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection.FieldSize(message, field); ++i) {
          CollectDrugFields(reflection.GetRepeatedMessage(message, field, i), names);
        }
      } else {
        CollectDrugFields(reflection.GetMessage(message, field), names);
      }
    }
  }
}

}  // namespace

std::vector<std::string> KnownDrugNames(const v1::Scenario& scenario) {
  std::set<std::string> names;
  for (const v1::DrugEntry& entry : scenario.guidelines().drugs()) {
    names.insert(text::Lower(entry.drug()));
    for (const std::string& alias : entry.aliases()) names.insert(text::Lower(alias));
  }
  for (const std::string& scripted : scenario.pharmacology().scripted()) {
    names.insert(text::Lower(scripted));
  }
  for (const v1::DrugModel& model : scenario.pharmacology().models()) {
    names.insert(text::Lower(model.name()));
    for (const std::string& alias : model.aliases()) names.insert(text::Lower(alias));
  }
  CollectDrugFields(scenario, &names);
  names.erase("");
  return {names.begin(), names.end()};
}

grpc::Status CheckDrugName(const std::vector<std::string>& known, const std::string& drug,
                           const std::string& field) {
  if (known.empty() || std::binary_search(known.begin(), known.end(), text::Lower(drug))) {
    return grpc::Status::OK;
  }
  const std::optional<std::string> closest = scenario::SuggestClosest(drug, known);
  const std::string hint = closest ? fmt::format("did you mean '{}'?", *closest)
                                   : "this scenario knows: " + scenario::JoinNames(known);
  return grpc::Status(
      grpc::StatusCode::INVALID_ARGUMENT,
      fmt::format("{}: unknown drug '{}' ({}); to record a drug the scenario does not list, log "
                  "it as 'other' with a note",
                  field, checks::Echo(drug), hint));
}

}  // namespace pedisim::dosing
