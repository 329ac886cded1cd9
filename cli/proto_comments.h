// The comments the contract (proto/pedisim/v1) writes above each field of
// the scenario file formats, for the JSON Schema's descriptions.
#pragma once

#include <google/protobuf/descriptor.h>

#include <string>

namespace pedisim::cli {

// The comment above `field` in its .proto file, its lines joined by spaces;
// empty when it has none or is not part of the scenario formats.
std::string FieldComment(const google::protobuf::FieldDescriptor& field);

}  // namespace pedisim::cli
