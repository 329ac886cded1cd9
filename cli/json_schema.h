// JSON Schema (draft 2020-12) of the scenario file formats, generated from
// the contract's descriptors so that editors can check and complete
// scenario files without a controller.
#pragma once

#include <google/protobuf/descriptor.h>

#include <string>

namespace pedisim::cli {

// The schema of a file holding one `message`, as the scenario loader reads
// it: an object whose properties are the proto field names and admit
// nothing else; numbers, integers (unsigned ones at least 0), booleans and
// strings by field type; enums as strings, each value by its full name
// (RHYTHM_SINUS_TACHYCARDIA) or its short lower-case name
// (sinus_tachycardia), the UNSPECIFIED value left out; repeated fields as
// arrays; maps as objects whose values follow the map's value type; each
// field with a comment in the .proto described by it. Message
// types that contain themselves are referenced from "$defs". What the
// loader checks beyond types (one member per oneof, any case for enum
// names) is not encoded. Pretty-printed, ending in a newline.
std::string JsonSchemaFor(const google::protobuf::Descriptor& message);

}  // namespace pedisim::cli
