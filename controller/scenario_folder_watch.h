#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/scenario/scenario_catalog.h"

namespace pedisim {

// Scenarios added, changed or removed while the controller runs: the
// scenario folder's files (their paths, sizes and modification times) are
// compared every `interval` on a thread of their own, and once a change has
// held still for one more interval (an editor or a copy in the middle of
// writing is not read half-way) the catalog is reloaded whole. Sessions
// keep the scenario they were created with (each holds its own copy, and
// its record the scenario as run), so a class in progress is never touched.
// Each reload is logged with what changed and the files that failed.
class ScenarioFolderWatch {
 public:
  ScenarioFolderWatch(scenario::ScenarioCatalog& catalog, std::chrono::milliseconds interval);
  ~ScenarioFolderWatch();
  ScenarioFolderWatch(const ScenarioFolderWatch&) = delete;
  ScenarioFolderWatch& operator=(const ScenarioFolderWatch&) = delete;

  // Relative path -> size and modification time, of every file under the
  // folder; what a change is a change of.
  using Fingerprint = std::map<std::string, std::pair<uintmax_t, int64_t>>;
  static Fingerprint Take(const std::filesystem::path& folder);

 private:
  void Run();
  void ReloadAndLog();

  scenario::ScenarioCatalog& catalog_;
  const std::chrono::milliseconds interval_;
  Fingerprint loaded_;   // what the catalog holds (the watch's thread only)
  Fingerprint pending_;  // a change seen once, waiting to hold still
  std::mutex mu_;
  std::condition_variable wake_;
  bool closing_ = false;
  std::thread watcher_;
};

}  // namespace pedisim
