#pragma once

#include <google/protobuf/message.h>

#include <string_view>

#include "core/scenario/diagnostics.h"

namespace pedisim::scenario {

// Fills `message` from a YAML document (JSON is accepted too: yaml-cpp reads
// it as YAML flow style) by protobuf reflection, so the .proto files stay the
// only definition of the file format.
//
// Keys are the proto field names (snake_case). Enum values are written as
// their full name (ACTION_KIND_OXYGEN) or without the enum's common prefix,
// case-insensitively (oxygen); their numbers are accepted too. Lists fill
// repeated fields, mappings fill messages and map<K, V> fields, and a key
// whose value is empty or null leaves its field unset (as protobuf's JSON
// mapping does).
//
// Every problem becomes an error diagnostic in `report` with a 1-based
// file:line:col: YAML syntax, unknown fields (with a "did you mean" hint),
// duplicate keys, wrong value types, out-of-range numbers, unknown enum
// values, and two members of one oneof. Parsing goes on after an error so
// that one pass reports them all. Every field that is set, every list
// element and every map entry is recorded in `report.source_map`.
//
// Returns true when no error was added. On failure `message` holds whatever
// parsed and must not be used.
bool ParseYamlToMessage(std::string_view file_name, std::string_view content,
                        google::protobuf::Message& message, ParseReport& report);

}  // namespace pedisim::scenario
