#include "json_schema.h"

#include <cstdio>
#include <set>
#include <utility>
#include <variant>
#include <vector>

#include "core/text/enum_names.h"
#include "proto_comments.h"

namespace pedisim::cli {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

// A JSON value whose objects keep their keys in insertion order, so that the
// schema reads top-down ("type" before "properties") and diffs stay small.
class Json {
 public:
  using Object = std::vector<std::pair<std::string, Json>>;
  using Array = std::vector<Json>;

  Json(const char* text) : value_(std::string(text)) {}  // NOLINT: literals read as JSON
  Json(std::string text) : value_(std::move(text)) {}    // NOLINT
  Json(bool flag) : value_(flag) {}                      // NOLINT
  Json(int number) : value_(number) {}                   // NOLINT
  Json(Object object) : value_(std::move(object)) {}     // NOLINT
  Json(Array array) : value_(std::move(array)) {}        // NOLINT

  Object& object() { return std::get<Object>(value_); }

  void Write(std::string& out, int depth) const {
    if (const auto* text = std::get_if<std::string>(&value_)) {
      WriteString(*text, out);
    } else if (const bool* flag = std::get_if<bool>(&value_)) {
      out += *flag ? "true" : "false";
    } else if (const int* number = std::get_if<int>(&value_)) {
      out += std::to_string(*number);
    } else if (const auto* object = std::get_if<Object>(&value_)) {
      WriteMembers(*object, '{', '}', out, depth, [&](const auto& member) {
        WriteString(member.first, out);
        out += ": ";
        member.second.Write(out, depth + 1);
      });
    } else {
      WriteMembers(std::get<Array>(value_), '[', ']', out, depth,
                   [&](const Json& element) { element.Write(out, depth + 1); });
    }
  }

 private:
  static void WriteString(const std::string& text, std::string& out) {
    out += '"';
    for (const char c : text) {
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
        out += escaped;
      } else {
        out += c;
      }
    }
    out += '"';
  }

  template <typename Members, typename WriteMember>
  static void WriteMembers(const Members& members, char open, char close, std::string& out,
                           int depth, WriteMember write_member) {
    out += open;
    if (members.empty()) {
      out += close;
      return;
    }
    const std::string indent(2 * (depth + 1), ' ');
    for (size_t i = 0; i < members.size(); ++i) {
      out += i == 0 ? "\n" : ",\n";
      out += indent;
      write_member(members[i]);
    }
    out += '\n' + std::string(2 * depth, ' ') + close;
  }

  std::variant<std::string, bool, int, Object, Array> value_;
};

class SchemaBuilder {
 public:
  Json MessageSchema(const Descriptor& message) {
    // A message inside itself would expand forever; it is defined once in
    // $defs and referenced instead.
    if (expanding_.contains(&message)) {
      recursive_.insert(&message);
      return Json::Object{{"$ref", "#/$defs/" + message.full_name()}};
    }
    return ExpandMessage(message);
  }

  // Definitions of the self-containing types met so far.
  Json::Object Definitions() {
    Json::Object definitions;
    std::set<const Descriptor*> defined;
    while (defined.size() < recursive_.size()) {
      for (const Descriptor* message : std::set<const Descriptor*>(recursive_)) {
        if (!defined.insert(message).second) continue;
        definitions.emplace_back(message->full_name(), ExpandMessage(*message));
      }
    }
    return definitions;
  }

 private:
  Json ExpandMessage(const Descriptor& message) {
    expanding_.insert(&message);
    Json::Object properties;
    for (int i = 0; i < message.field_count(); ++i) {
      const FieldDescriptor& field = *message.field(i);
      Json schema = FieldSchema(field);
      if (std::string comment = FieldComment(field); !comment.empty()) {
        Json::Object& members = schema.object();
        members.insert(members.begin(), {"description", std::move(comment)});
      }
      properties.emplace_back(field.name(), std::move(schema));
    }
    expanding_.erase(&message);
    return Json::Object{
        {"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  }

  Json FieldSchema(const FieldDescriptor& field) {
    if (field.is_map()) {
      return Json::Object{
          {"type", "object"},
          {"additionalProperties", ValueSchema(*field.message_type()->map_value())}};
    }
    if (field.is_repeated()) return Json::Object{{"type", "array"}, {"items", ValueSchema(field)}};
    return ValueSchema(field);
  }

  // The schema of one value of `field`, ignoring whether it repeats.
  Json ValueSchema(const FieldDescriptor& field) {
    switch (field.cpp_type()) {
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return MessageSchema(*field.message_type());
      case FieldDescriptor::CPPTYPE_ENUM:
        return EnumSchema(*field.enum_type());
      case FieldDescriptor::CPPTYPE_DOUBLE:
      case FieldDescriptor::CPPTYPE_FLOAT:
        return Json::Object{{"type", "number"}};
      case FieldDescriptor::CPPTYPE_INT32:
      case FieldDescriptor::CPPTYPE_INT64:
        return Json::Object{{"type", "integer"}};
      case FieldDescriptor::CPPTYPE_UINT32:
      case FieldDescriptor::CPPTYPE_UINT64:
        return Json::Object{{"type", "integer"}, {"minimum", 0}};
      case FieldDescriptor::CPPTYPE_BOOL:
        return Json::Object{{"type", "boolean"}};
      case FieldDescriptor::CPPTYPE_STRING:
        break;
    }
    return Json::Object{{"type", "string"}};
  }

  static Json EnumSchema(const google::protobuf::EnumDescriptor& enum_type) {
    Json::Array full_names;
    Json::Array short_names;
    for (int i = 0; i < enum_type.value_count(); ++i) {
      const google::protobuf::EnumValueDescriptor& value = *enum_type.value(i);
      if (value.number() == 0) continue;
      full_names.emplace_back(value.name());
      short_names.emplace_back(text::ShortEnumName(&enum_type, value.number()));
    }
    full_names.insert(full_names.end(), short_names.begin(), short_names.end());
    return Json::Object{{"type", "string"}, {"enum", std::move(full_names)}};
  }

  std::set<const Descriptor*> expanding_;
  std::set<const Descriptor*> recursive_;
};

}  // namespace

std::string JsonSchemaFor(const Descriptor& message) {
  SchemaBuilder builder;
  Json schema = builder.MessageSchema(message);
  Json::Object& members = schema.object();
  members.insert(members.begin(),
                 {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                  {"title", message.full_name()},
                  {"description", "A PediSim " + message.name() +
                                      " file (YAML or JSON), generated from the contract "
                                      "(proto/pedisim/v1) by pedisimctl scenario schema."}});
  if (Json::Object definitions = builder.Definitions(); !definitions.empty()) {
    members.emplace_back("$defs", std::move(definitions));
  }
  std::string text;
  schema.Write(text, 0);
  return text + '\n';
}

}  // namespace pedisim::cli
