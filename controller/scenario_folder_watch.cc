#include "controller/scenario_folder_watch.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <set>
#include <vector>

namespace pedisim {

namespace fs = std::filesystem;

ScenarioFolderWatch::ScenarioFolderWatch(scenario::ScenarioCatalog& catalog,
                                         std::chrono::milliseconds interval)
    : catalog_(catalog), interval_(interval), loaded_(Take(catalog.folder())) {
  watcher_ = std::thread([this] { Run(); });
}

ScenarioFolderWatch::~ScenarioFolderWatch() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  wake_.notify_all();
  watcher_.join();
}

ScenarioFolderWatch::Fingerprint ScenarioFolderWatch::Take(const fs::path& folder) {
  Fingerprint fingerprint;
  std::error_code error;
  // Errors (a file removed mid-walk, an unreadable folder) leave the entry
  // out: the next look sees the folder as it then is.
  for (fs::recursive_directory_iterator it(folder, error), end; !error && it != end;
       it.increment(error)) {
    std::error_code stat_error;
    if (!it->is_regular_file(stat_error) || stat_error) continue;
    const uintmax_t size = it->file_size(stat_error);
    const auto modified = it->last_write_time(stat_error);
    if (stat_error) continue;
    fingerprint[it->path().lexically_relative(folder).generic_string()] = {
        size, static_cast<int64_t>(modified.time_since_epoch().count())};
  }
  return fingerprint;
}

void ScenarioFolderWatch::Run() {
  std::unique_lock lock(mu_);
  while (!closing_) {
    wake_.wait_for(lock, interval_, [this] { return closing_; });
    if (closing_) break;
    lock.unlock();
    try {
      Fingerprint now = Take(catalog_.folder());
      if (now == loaded_) {
        pending_.clear();
      } else if (now == pending_) {
        // The change held still for an interval: read it.
        ReloadAndLog();
        loaded_ = std::move(now);
        pending_.clear();
      } else {
        pending_ = std::move(now);
      }
    } catch (const std::exception& error) {
      spdlog::warn("scenario folder watch: {}", error.what());
    }
    lock.lock();
  }
}

void ScenarioFolderWatch::ReloadAndLog() {
  std::set<std::string> before;
  for (const v1::ScenarioSummary& summary : catalog_.List()) before.insert(summary.id());
  catalog_.Reload();
  std::set<std::string> after;
  for (const v1::ScenarioSummary& summary : catalog_.List()) after.insert(summary.id());
  std::vector<std::string> added;
  std::vector<std::string> removed;
  for (const std::string& id : after) {
    if (before.count(id) == 0) added.push_back(id);
  }
  for (const std::string& id : before) {
    if (after.count(id) == 0) removed.push_back(id);
  }
  const std::vector<v1::Diagnostic> errors = catalog_.LoadErrors();
  spdlog::info(
      "scenario folder {} changed: reloaded, {} scenarios{}{}{}; sessions already created keep "
      "the version they started with",
      catalog_.folder().string(), after.size(),
      added.empty() ? "" : fmt::format(", added: {}", fmt::join(added, ", ")),
      removed.empty() ? "" : fmt::format(", removed: {}", fmt::join(removed, ", ")),
      errors.empty() ? "" : fmt::format(", {} problems in files that did not load", errors.size()));
  for (const v1::Diagnostic& error : errors) {
    spdlog::warn("scenario folder: {}:{}:{}: {}", error.file(), error.line(), error.column(),
                 error.message());
  }
}

}  // namespace pedisim
