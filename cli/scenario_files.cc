#include "scenario_files.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>

#include "local_file.h"

namespace pedisim::cli {
namespace {

// The top-level mapping of a YAML or JSON text, or nothing when it does not
// parse as one.
std::optional<YAML::Node> TopLevelMapping(const std::string& text) {
  try {
    YAML::Node root = YAML::Load(text);
    if (root.IsMap()) return root;
  } catch (const YAML::Exception&) {
    // Reported by the controller, with line and column.
  }
  return std::nullopt;
}

}  // namespace

std::vector<std::string> IncludedFileNames(const std::string& scenario_text) {
  std::vector<std::string> names;
  const std::optional<YAML::Node> root = TopLevelMapping(scenario_text);
  if (!root) return names;
  const YAML::Node& mapping = *root;  // const: a lookup must not add the key
  const YAML::Node include = mapping["include"];
  // A missing key gives an invalid node, whose type must not be asked.
  if (!include || !include.IsSequence()) return names;
  for (const YAML::Node& entry : include) {
    if (entry.IsScalar() && !entry.Scalar().empty()) names.push_back(entry.Scalar());
  }
  return names;
}

bool ReadScenarioRequest(const std::string& path, v1::ValidateScenarioRequest* request,
                         std::vector<std::string>* fragment_errors, std::string* error) {
  if (!ReadLocalFile(path, request->mutable_content(), error)) return false;
  request->set_file_name(path);
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  for (const std::string& name : IncludedFileNames(request->content())) {
    std::string content;
    std::string fragment_error;
    if (ReadLocalFile((folder / name).string(), &content, &fragment_error)) {
      (*request->mutable_included_files())[name] = std::move(content);
    } else {
      fragment_errors->push_back(std::move(fragment_error));
    }
  }
  return true;
}

std::string ExpectedEndState(const std::string& action_script_text) {
  const std::optional<YAML::Node> root = TopLevelMapping(action_script_text);
  if (!root) return "";
  const YAML::Node& mapping = *root;
  const YAML::Node expected = mapping["expected_end_state"];
  return expected && expected.IsScalar() ? expected.Scalar() : "";
}

}  // namespace pedisim::cli

namespace pedisim::cli {

std::map<std::string, std::string> ExpectedGrades(const std::string& action_script_text) {
  std::map<std::string, std::string> grades;
  const std::optional<YAML::Node> root = TopLevelMapping(action_script_text);
  if (!root) return grades;
  const YAML::Node& mapping = *root;
  const YAML::Node expected = mapping["expected_grades"];
  if (!expected || !expected.IsMap()) return grades;
  for (const auto& entry : expected) {
    if (entry.first.IsScalar() && entry.second.IsScalar()) {
      grades[entry.first.Scalar()] = entry.second.Scalar();
    }
  }
  return grades;
}

}  // namespace pedisim::cli
