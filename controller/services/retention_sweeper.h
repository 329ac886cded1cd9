#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "controller/recording/recording_catalog.h"
#include "controller/services/debrief_service.h"

namespace pedisim::services {

// Deletes unlocked recordings older than the retention period: once at
// start and then every hour, on a thread of its own.
class RetentionSweeper {
 public:
  RetentionSweeper(recording::RecordingCatalog& recordings, DebriefServiceImpl& debrief, int days);
  ~RetentionSweeper();
  RetentionSweeper(const RetentionSweeper&) = delete;
  RetentionSweeper& operator=(const RetentionSweeper&) = delete;

  // One sweep now; returns how many recordings it deleted.
  int Sweep();

 private:
  recording::RecordingCatalog& recordings_;
  DebriefServiceImpl& debrief_;
  const int days_;
  std::mutex mu_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace pedisim::services
