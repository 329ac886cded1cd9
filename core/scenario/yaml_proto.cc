#include "core/scenario/yaml_proto.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/scenario/proto_scalar.h"
#include "core/scenario/spelling.h"

namespace pedisim::scenario {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::OneofDescriptor;
using google::protobuf::Reflection;
using pedisim::v1::Diagnostic;

SourceLocation ToLocation(const YAML::Mark& mark) {
  if (mark.is_null() || mark.line < 0 || mark.column < 0) return {};
  return {static_cast<std::uint32_t>(mark.line + 1), static_cast<std::uint32_t>(mark.column + 1)};
}

// Where the first two documents of a YAML stream start: at their first
// node, or at the document start when it has none. Stops at two, as only
// one is allowed: yaml-cpp 0.7's LoadAll never returns, allocating without
// bound, on a stream that starts with a token no node takes (a stray ','),
// since each call reads another empty document at the same place.
class FirstDocuments final : public YAML::EventHandler {
 public:
  static std::vector<YAML::Mark> Find(const std::string& content) {
    std::istringstream stream(content);
    YAML::Parser parser(stream);
    FirstDocuments documents;
    while (documents.starts_.size() < 2 && parser.HandleNextDocument(documents)) {
    }
    return documents.starts_;
  }

  void OnDocumentStart(const YAML::Mark& mark) override {
    starts_.push_back(mark);
    awaiting_node_ = true;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { OnNode(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { OnNode(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    OnNode(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    OnNode(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    OnNode(mark);
  }
  void OnMapEnd() override {}

 private:
  void OnNode(const YAML::Mark& mark) {
    if (!awaiting_node_) return;
    awaiting_node_ = false;
    starts_.back() = mark;
  }

  std::vector<YAML::Mark> starts_;
  bool awaiting_node_ = false;
};

std::string Describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return Quoted(node.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    default:
      return "nothing";
  }
}

std::string FieldPath(const std::string& parent, std::string_view field_name) {
  return parent.empty() ? std::string(field_name) : parent + "." + std::string(field_name);
}

std::string ElementPath(const std::string& parent, std::string_view index_or_key) {
  return parent + "[" + std::string(index_or_key) + "]";
}

std::vector<std::string> FieldNames(const Descriptor& descriptor) {
  std::vector<std::string> names;
  for (int i = 0; i < descriptor.field_count(); ++i) names.push_back(descriptor.field(i)->name());
  return names;
}

std::string UnknownFieldMessage(std::string_view name, const Descriptor& descriptor) {
  const std::vector<std::string> known = FieldNames(descriptor);
  std::string message = "unknown field '" + std::string(name) + "' in " + descriptor.name();
  if (std::optional<std::string> suggestion = SuggestClosest(name, known)) {
    return message + "; did you mean '" + *suggestion + "'?";
  }
  return message + "; expected one of: " + JoinNames(known);
}

// Walks a YAML tree alongside a message's descriptor; one instance per
// document.
class YamlMessageParser {
 public:
  YamlMessageParser(std::string_view file_name, ParseReport& report)
      : file_name_(file_name), report_(report) {}

  void ParseDocument(const YAML::Node& root, Message& message) {
    const SourceLocation location = ToLocation(root.Mark());
    report_.source_map.Record("", location, location);
    if (!root.IsMap()) {
      Error(location, "",
            "expected a mapping of " + message.GetDescriptor()->name() +
                " fields at the top of the document, got " + Describe(root));
      return;
    }
    ParseMessage(root, message, "");
  }

 private:
  struct OneofMember {
    const FieldDescriptor* field;
    SourceLocation key;
  };

  void ParseMessage(const YAML::Node& node, Message& message, const std::string& path) {
    const Descriptor& descriptor = *message.GetDescriptor();
    std::map<int, SourceLocation> set_fields;  // field number -> where its key is
    std::map<const OneofDescriptor*, OneofMember> set_oneofs;
    for (const auto& key_and_value : node) {
      const YAML::Node& key = key_and_value.first;
      const YAML::Node& value = key_and_value.second;
      const SourceLocation key_location = ToLocation(key.Mark());
      if (!key.IsScalar()) {
        Error(key_location, path, "expected a field name, got " + Describe(key));
        continue;
      }
      const std::string& name = key.Scalar();
      const std::string field_path = FieldPath(path, name);
      const FieldDescriptor* field = descriptor.FindFieldByName(name);
      if (field == nullptr) {
        Error(key_location, field_path, UnknownFieldMessage(name, descriptor));
        continue;
      }
      // yaml-cpp keeps every duplicate key in iteration order instead of
      // rejecting the document, so duplicates are found here.
      if (auto [first, inserted] = set_fields.emplace(field->number(), key_location); !inserted) {
        Error(key_location, field_path,
              "duplicate field '" + name + "'; first set at line " +
                  std::to_string(first->second.line));
        continue;
      }
      if (const OneofDescriptor* oneof = field->real_containing_oneof();
          oneof != nullptr && !value.IsNull()) {
        auto [first, inserted] = set_oneofs.emplace(oneof, OneofMember{field, key_location});
        if (!inserted) {
          Error(key_location, field_path,
                "fields '" + first->second.field->name() + "' (line " +
                    std::to_string(first->second.key.line) + ") and '" + name +
                    "' are both members of oneof '" + oneof->name() + "' in " + descriptor.name() +
                    "; set only one");
          continue;
        }
      }
      ParseField(key_location, value, message, *field, field_path);
    }
  }

  void ParseField(SourceLocation key_location, const YAML::Node& value, Message& message,
                  const FieldDescriptor& field, const std::string& path) {
    // An empty value leaves the field unset, like null in protobuf's JSON
    // mapping; its mark would point at the next line, so it is not recorded.
    if (value.IsNull()) return;
    const SourceLocation value_location = ToLocation(value.Mark());
    if (field.is_map()) {
      if (!ExpectNodeType(value, YAML::NodeType::Map, "a mapping", field, path)) return;
      report_.source_map.Record(path, key_location, value_location);
      ParseMapEntries(value, message, field, path);
    } else if (field.is_repeated()) {
      if (!ExpectNodeType(value, YAML::NodeType::Sequence, "a list", field, path)) return;
      report_.source_map.Record(path, key_location, value_location);
      ParseListElements(value, message, field, path);
    } else if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (!ExpectNodeType(value, YAML::NodeType::Map, ExpectedValue(field), field, path)) return;
      report_.source_map.Record(path, key_location, value_location);
      ParseMessage(value, *message.GetReflection()->MutableMessage(&message, &field), path);
    } else if (ParseScalarInto(value, message, field, field.name(), path)) {
      report_.source_map.Record(path, key_location, value_location);
    }
  }

  void ParseListElements(const YAML::Node& list, Message& message, const FieldDescriptor& field,
                         const std::string& path) {
    const Reflection& reflection = *message.GetReflection();
    std::size_t index = 0;
    for (const YAML::Node& element : list) {
      const std::string element_path = ElementPath(path, std::to_string(index++));
      const SourceLocation location = ToLocation(element.Mark());
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        if (!ExpectNodeType(element, YAML::NodeType::Map, ExpectedValue(field), field,
                            element_path)) {
          continue;
        }
        report_.source_map.Record(element_path, location, location);
        ParseMessage(element, *reflection.AddMessage(&message, &field), element_path);
      } else if (ParseScalarInto(element, message, field, field.name() + " element",
                                 element_path)) {
        report_.source_map.Record(element_path, location, location);
      }
    }
  }

  // Map entries are messages with a "key" and a "value" field; protobuf
  // reflection exposes a map field as a repeated field of them.
  void ParseMapEntries(const YAML::Node& map, Message& message, const FieldDescriptor& field,
                       const std::string& path) {
    const Reflection& reflection = *message.GetReflection();
    const FieldDescriptor& key_field = *field.message_type()->map_key();
    const FieldDescriptor& value_field = *field.message_type()->map_value();
    std::map<std::string, SourceLocation, std::less<>> set_keys;
    for (const auto& key_and_value : map) {
      const YAML::Node& key = key_and_value.first;
      const YAML::Node& value = key_and_value.second;
      const SourceLocation key_location = ToLocation(key.Mark());
      if (!key.IsScalar()) {
        Error(key_location, path, "expected a key for " + field.name() + ", got " + Describe(key));
        continue;
      }
      const std::string entry_path = ElementPath(path, key.Scalar());
      if (auto [first, inserted] = set_keys.emplace(key.Scalar(), key_location); !inserted) {
        Error(key_location, entry_path,
              "duplicate key '" + key.Scalar() + "' in " + field.name() + "; first set at line " +
                  std::to_string(first->second.line));
        continue;
      }
      if (value.IsNull()) {
        Error(key_location, entry_path,
              "missing value for key '" + key.Scalar() + "' in " + field.name());
        continue;
      }
      Message& entry = *reflection.AddMessage(&message, &field);
      const std::string value_label = ElementPath(field.name(), key.Scalar());
      bool entry_ok = ParseScalarInto(key, entry, key_field, field.name() + " key", entry_path);
      if (value_field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        if (ExpectNodeType(value, YAML::NodeType::Map, ExpectedValue(value_field), value_field,
                           entry_path)) {
          ParseMessage(value, *entry.GetReflection()->MutableMessage(&entry, &value_field),
                       entry_path);
        } else {
          entry_ok = false;
        }
      } else {
        entry_ok = ParseScalarInto(value, entry, value_field, value_label, entry_path) && entry_ok;
      }
      if (entry_ok) {
        report_.source_map.Record(entry_path, key_location, ToLocation(value.Mark()));
      } else {
        reflection.RemoveLast(&message, &field);
      }
    }
  }

  bool ParseScalarInto(const YAML::Node& node, Message& message, const FieldDescriptor& field,
                       std::string_view label, const std::string& path) {
    if (!node.IsScalar()) {
      Error(ToLocation(node.Mark()), path,
            "expected " + ExpectedValue(field) + " for " + std::string(label) + ", got " +
                Describe(node));
      return false;
    }
    ScalarConversion conversion = ConvertScalar(node.Scalar(), field, label);
    if (!conversion.ok()) {
      Error(ToLocation(node.Mark()), path, std::move(conversion.error));
      return false;
    }
    StoreScalar(message, field, conversion.value);
    return true;
  }

  bool ExpectNodeType(const YAML::Node& node, YAML::NodeType::value type, std::string_view expected,
                      const FieldDescriptor& field, const std::string& path) {
    if (node.Type() == type) return true;
    Error(ToLocation(node.Mark()), path,
          "expected " + std::string(expected) + " for " + field.name() + ", got " + Describe(node));
    return false;
  }

  void Error(SourceLocation location, std::string_view path, std::string message) {
    report_.diagnostics.push_back(
        MakeDiagnostic(Diagnostic::SEVERITY_ERROR, file_name_, location, path, std::move(message)));
  }

  std::string file_name_;
  ParseReport& report_;
};

}  // namespace

bool ParseYamlToMessage(std::string_view file_name, std::string_view content,
                        google::protobuf::Message& message, ParseReport& report) {
  const std::size_t errors_before = report.diagnostics.size();
  auto add_error = [&](SourceLocation location, std::string text) {
    report.diagnostics.push_back(
        MakeDiagnostic(Diagnostic::SEVERITY_ERROR, file_name, location, "", std::move(text)));
  };
  std::vector<YAML::Mark> document_starts;
  YAML::Node first_document;
  try {
    const std::string text(content);
    document_starts = FirstDocuments::Find(text);
    if (!document_starts.empty()) first_document = YAML::Load(text);
  } catch (const YAML::Exception& error) {
    add_error(ToLocation(error.mark), error.msg);
    return false;
  }
  if (document_starts.empty()) {
    add_error({1, 1}, "the document is empty; expected a mapping of " +
                          message.GetDescriptor()->name() + " fields");
    return false;
  }
  if (document_starts.size() > 1) {
    add_error(ToLocation(document_starts[1]),
              "expected a single document; another one starts here");
  }
  YamlMessageParser(file_name, report).ParseDocument(first_document, message);
  return std::none_of(report.diagnostics.begin() + errors_before, report.diagnostics.end(),
                      [](const Diagnostic& diagnostic) {
                        return diagnostic.severity() == Diagnostic::SEVERITY_ERROR;
                      });
}

}  // namespace pedisim::scenario
