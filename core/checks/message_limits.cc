#include "core/checks/message_limits.h"

#include <fmt/format.h>
#include <google/protobuf/descriptor.h>

#include <cmath>
#include <optional>

#include "core/text/utf8_cut.h"
#include "pedisim/v1/field_limits.pb.h"

namespace pedisim::checks {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

grpc::Status Invalid(std::string message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::move(message));
}

std::string PathOf(std::string_view prefix, const FieldDescriptor& field, int index) {
  std::string path = prefix.empty() ? field.name() : fmt::format("{}.{}", prefix, field.name());
  if (index >= 0) path += fmt::format("[{}]", index);
  return path;
}

// A number's bounds from its options; nullopt when it has none.
struct Bounds {
  std::optional<double> min;
  std::optional<double> max;
};

Bounds BoundsOf(const FieldDescriptor& field) {
  const google::protobuf::FieldOptions& options = field.options();
  Bounds bounds;
  if (options.HasExtension(v1::max_value)) {
    bounds.max = options.GetExtension(v1::max_value);
    bounds.min = -*bounds.max;
  }
  if (options.HasExtension(v1::min_value)) bounds.min = options.GetExtension(v1::min_value);
  return bounds;
}

grpc::Status CheckNumber(double value, const FieldDescriptor& field, const std::string& path) {
  if (!std::isfinite(value)) return Invalid(fmt::format("{}: must be a finite number", path));
  const Bounds bounds = BoundsOf(field);
  if ((bounds.min && value < *bounds.min) || (bounds.max && value > *bounds.max)) {
    return Invalid(fmt::format("{}: must be between {:g} and {:g}, got {:g}", path,
                               bounds.min.value_or(-HUGE_VAL), bounds.max.value_or(HUGE_VAL),
                               value));
  }
  return grpc::Status::OK;
}

// `map_field`: when `message` is an entry of a map field, that field, whose
// options bound the entry's key and value.
grpc::Status CheckMessage(const Message& message, const std::string& prefix,
                          const FieldDescriptor* map_field);

// One value of `field`: the element at `index` of a repeated field, or the
// singular value when `index` is -1. `bounded_by` holds the options.
grpc::Status CheckValue(const Message& message, const FieldDescriptor& field, int index,
                        const std::string& path, const FieldDescriptor& bounded_by) {
  const Reflection& reflection = *message.GetReflection();
  const bool repeated = index >= 0;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const std::string& value =
          repeated ? reflection.GetRepeatedStringReference(message, &field, index, &scratch)
                   : reflection.GetStringReference(message, &field, &scratch);
      const google::protobuf::FieldOptions& options = bounded_by.options();
      const size_t limit = options.HasExtension(v1::max_length)
                               ? options.GetExtension(v1::max_length)
                               : kDefaultMaxLength;
      if (value.size() > limit) {
        return Invalid(fmt::format("{}: at most {} characters, got {}", path, limit, value.size()));
      }
      return grpc::Status::OK;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return CheckNumber(repeated ? reflection.GetRepeatedDouble(message, &field, index)
                                  : reflection.GetDouble(message, &field),
                         bounded_by, path);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return CheckNumber(repeated ? reflection.GetRepeatedFloat(message, &field, index)
                                  : reflection.GetFloat(message, &field),
                         bounded_by, path);
    case FieldDescriptor::CPPTYPE_INT32:
      return CheckNumber(repeated ? reflection.GetRepeatedInt32(message, &field, index)
                                  : reflection.GetInt32(message, &field),
                         bounded_by, path);
    case FieldDescriptor::CPPTYPE_INT64:
      return CheckNumber(
          static_cast<double>(repeated ? reflection.GetRepeatedInt64(message, &field, index)
                                       : reflection.GetInt64(message, &field)),
          bounded_by, path);
    case FieldDescriptor::CPPTYPE_UINT32:
      return CheckNumber(repeated ? reflection.GetRepeatedUInt32(message, &field, index)
                                  : reflection.GetUInt32(message, &field),
                         bounded_by, path);
    case FieldDescriptor::CPPTYPE_UINT64:
      return CheckNumber(
          static_cast<double>(repeated ? reflection.GetRepeatedUInt64(message, &field, index)
                                       : reflection.GetUInt64(message, &field)),
          bounded_by, path);
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int value = repeated ? reflection.GetRepeatedEnumValue(message, &field, index)
                                 : reflection.GetEnumValue(message, &field);
      if (field.enum_type()->FindValueByNumber(value) == nullptr) {
        return Invalid(
            fmt::format("{}: {} is not a {} value", path, value, field.enum_type()->name()));
      }
      return grpc::Status::OK;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return CheckMessage(repeated ? reflection.GetRepeatedMessage(message, &field, index)
                                   : reflection.GetMessage(message, &field),
                          path, field.is_map() ? &field : nullptr);
    case FieldDescriptor::CPPTYPE_BOOL:
      return grpc::Status::OK;
  }
  return grpc::Status::OK;
}

grpc::Status CheckMessage(const Message& message, const std::string& prefix,
                          const FieldDescriptor* map_field) {
  const Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  // Only the fields that are set: an unset field holds its default, which
  // is always within bounds.
  reflection.ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->is_repeated()) {
      const int size = reflection.FieldSize(message, field);
      if (size > kDefaultMaxRepeated) {
        return Invalid(fmt::format("{}: at most {} elements, got {}", PathOf(prefix, *field, -1),
                                   kDefaultMaxRepeated, size));
      }
      for (int i = 0; i < size; ++i) {
        if (grpc::Status status = CheckValue(message, *field, i, PathOf(prefix, *field, i),
                                             map_field ? *map_field : *field);
            !status.ok()) {
          return status;
        }
      }
    } else if (grpc::Status status = CheckValue(message, *field, -1, PathOf(prefix, *field, -1),
                                                map_field ? *map_field : *field);
               !status.ok()) {
      return status;
    }
  }
  return grpc::Status::OK;
}

}  // namespace

grpc::Status CheckMessageLimits(const Message& message) {
  return CheckMessage(message, "", nullptr);
}

std::string Echo(std::string_view input, size_t max_length) {
  if (input.size() <= max_length) return std::string(input);
  return fmt::format("{}... ({} characters, cut)", text::CutAtCharacter(input, max_length),
                     input.size());
}

}  // namespace pedisim::checks
