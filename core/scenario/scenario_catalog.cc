#include "core/scenario/scenario_catalog.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <system_error>
#include <utility>

#include "core/scenario/diagnostics.h"
#include "core/scenario/scenario_loader.h"

namespace pedisim::scenario {
namespace {

namespace fs = std::filesystem;
using pedisim::v1::Diagnostic;

constexpr std::array<std::string_view, 3> kScenarioExtensions = {".yaml", ".yml", ".json"};

bool HasScenarioExtension(const std::string& file_name) {
  return std::any_of(kScenarioExtensions.begin(), kScenarioExtensions.end(),
                     [&](std::string_view extension) { return file_name.ends_with(extension); });
}

// Action scripts live beside scenarios but are a different message.
bool IsActionScriptName(const std::string& file_name) {
  return std::any_of(kScenarioExtensions.begin(), kScenarioExtensions.end(),
                     [&](std::string_view extension) {
                       return file_name == "learner-script" + std::string(extension) ||
                              file_name.ends_with(".actions" + std::string(extension));
                     });
}

// Fragments (scenario_fragments.h) are YAML too but no scenarios; they
// live in a folder of this name, which the catalog never looks into.
constexpr std::string_view kFragmentFolderName = "fragments";
// Guideline sets (guideline_library.h) are neither.
constexpr std::string_view kGuidelineFolderName = "guidelines";
// Drug models (core/pharmacology/drug_library.h) neither.
constexpr std::string_view kPharmacologyFolderName = "pharmacology";

Diagnostic FolderError(const fs::path& folder, std::string message) {
  return MakeDiagnostic(Diagnostic::SEVERITY_ERROR, folder.string(), {}, "", std::move(message));
}

// Paths relative to `folder`, '/'-separated and sorted, of the files that
// hold scenarios.
std::vector<std::string> FindScenarioFiles(const fs::path& folder,
                                           std::vector<Diagnostic>& errors) {
  std::vector<std::string> files;
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    errors.push_back(FolderError(folder, fs::exists(folder, error)
                                             ? "scenario folder is not a folder"
                                             : "scenario folder does not exist"));
    return files;
  }
  fs::directory_iterator entries(folder, error);
  for (; !error && entries != fs::directory_iterator(); entries.increment(error)) {
    const fs::directory_entry& entry = *entries;
    const std::string name = entry.path().filename().string();
    if (name.starts_with('.')) continue;
    std::error_code type_error;
    if (entry.is_regular_file(type_error)) {
      if (HasScenarioExtension(name) && !IsActionScriptName(name)) files.push_back(name);
    } else if (entry.is_directory(type_error) && name != kFragmentFolderName &&
               name != kGuidelineFolderName && name != kPharmacologyFolderName) {
      for (std::string_view extension : kScenarioExtensions) {
        const std::string candidate = "scenario" + std::string(extension);
        if (fs::is_regular_file(entry.path() / candidate, type_error)) {
          files.push_back(name + "/" + candidate);
        }
      }
    }
  }
  if (error)
    errors.push_back(FolderError(folder, "cannot list scenario folder: " + error.message()));
  std::sort(files.begin(), files.end());
  return files;
}

pedisim::v1::ScenarioSummary Summarize(const pedisim::v1::Scenario& scenario,
                                       const std::string& source_path) {
  pedisim::v1::ScenarioSummary summary;
  summary.set_id(scenario.id());
  summary.set_title(scenario.title());
  summary.set_description(scenario.description());
  *summary.mutable_patient() = scenario.patient();
  summary.set_state_count(static_cast<std::uint32_t>(scenario.states_size()));
  summary.set_source_path(source_path);
  return summary;
}

}  // namespace

ScenarioCatalog::ScenarioCatalog(std::filesystem::path folder) : folder_(std::move(folder)) {
  Reload();
}

void ScenarioCatalog::Reload() {
  Contents contents = LoadContents();
  std::unique_lock lock(mutex_);
  contents_ = std::move(contents);
}

ScenarioCatalog::Contents ScenarioCatalog::LoadContents() const {
  Contents contents;
  auto guidelines = std::make_shared<GuidelineLibrary>(
      GuidelineLibrary::LoadFolder(folder_ / std::string(kGuidelineFolderName)));
  for (Diagnostic diagnostic : guidelines->diagnostics()) {
    diagnostic.set_file(fs::path(diagnostic.file())
                            .lexically_normal()
                            .lexically_relative(folder_.lexically_normal())
                            .generic_string());
    contents.load_errors.push_back(std::move(diagnostic));
  }
  contents.guidelines = guidelines;
  auto drugs = std::make_shared<pharmacology::DrugLibrary>(
      pharmacology::DrugLibrary::LoadFolder(folder_ / std::string(kPharmacologyFolderName)));
  for (Diagnostic diagnostic : drugs->diagnostics()) {
    diagnostic.set_file(fs::path(diagnostic.file())
                            .lexically_normal()
                            .lexically_relative(folder_.lexically_normal())
                            .generic_string());
    contents.load_errors.push_back(std::move(diagnostic));
  }
  contents.drugs = drugs;
  for (const std::string& source_path : FindScenarioFiles(folder_, contents.load_errors)) {
    LoadResult result = LoadScenarioFile(folder_ / source_path, guidelines.get(), drugs.get());
    // Relative like source_path; a fragment's diagnostics name the fragment.
    for (Diagnostic& diagnostic : result.diagnostics) {
      const fs::path relative = fs::path(diagnostic.file())
                                    .lexically_normal()
                                    .lexically_relative(folder_.lexically_normal());
      if (!relative.empty()) diagnostic.set_file(relative.generic_string());
    }
    if (!result.ok()) {
      std::move(result.diagnostics.begin(), result.diagnostics.end(),
                std::back_inserter(contents.load_errors));
      continue;
    }
    const std::string& id = result.scenario->id();
    if (auto existing = contents.by_id.find(id); existing != contents.by_id.end()) {
      contents.load_errors.push_back(MakeDiagnostic(
          Diagnostic::SEVERITY_ERROR, source_path, result.source_map.ValueLocation("id"), "id",
          "duplicate scenario id '" + id + "'; already loaded from " +
              existing->second.source_path));
      continue;
    }
    contents.by_id.emplace(id, Entry{std::move(*result.scenario), source_path});
  }
  return contents;
}

std::optional<pedisim::v1::Scenario> ScenarioCatalog::Find(std::string_view id) const {
  std::shared_lock lock(mutex_);
  const auto it = contents_.by_id.find(id);
  if (it == contents_.by_id.end()) return std::nullopt;
  return it->second.scenario;
}

std::vector<pedisim::v1::ScenarioSummary> ScenarioCatalog::List() const {
  std::shared_lock lock(mutex_);
  std::vector<pedisim::v1::ScenarioSummary> summaries;
  summaries.reserve(contents_.by_id.size());
  for (const auto& [id, entry] : contents_.by_id) {
    summaries.push_back(Summarize(entry.scenario, entry.source_path));
  }
  return summaries;
}

std::vector<pedisim::v1::Diagnostic> ScenarioCatalog::LoadErrors() const {
  std::shared_lock lock(mutex_);
  return contents_.load_errors;
}

std::shared_ptr<const GuidelineLibrary> ScenarioCatalog::Guidelines() const {
  std::shared_lock lock(mutex_);
  return contents_.guidelines;
}

std::shared_ptr<const pharmacology::DrugLibrary> ScenarioCatalog::Drugs() const {
  std::shared_lock lock(mutex_);
  return contents_.drugs;
}

std::filesystem::path ScenarioCatalog::PathOf(std::string_view id) const {
  std::shared_lock lock(mutex_);
  const auto it = contents_.by_id.find(id);
  if (it == contents_.by_id.end()) return {};
  return folder_ / it->second.source_path;
}

}  // namespace pedisim::scenario
