#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "controller/session/session_manager.h"

namespace pedisim {

// Free space on the data folder's disk, watched while sessions run (it is
// also checked before one is created, started or resumed): each second,
// on its own thread (never on a session's pacing thread), the free space is
// compared with --min-free-disk-mb. Under it, every running session is
// paused as a pause by the system, with the reason in its log (a
// SESSION_PAUSED event by AGENT_SYSTEM, seen in Watch and on the
// dashboard), before its record runs out of room; Start and Resume are
// refused with the same reason until space returns, then an instructor
// resumes the class. Logged once when the disk runs low and once when space
// returns.
class DiskWatch {
 public:
  static constexpr std::chrono::seconds kCheckInterval{1};

  explicit DiskWatch(session::SessionManager& sessions);
  ~DiskWatch();
  DiskWatch(const DiskWatch&) = delete;
  DiskWatch& operator=(const DiskWatch&) = delete;

  // Checks once now (the thread calls it); true when the disk is low.
  bool Check();

 private:
  void Run();

  session::SessionManager& sessions_;
  bool low_ = false;  // the watch's thread only
  std::mutex mu_;
  std::condition_variable wake_;
  bool closing_ = false;
  std::thread watcher_;
};

}  // namespace pedisim
