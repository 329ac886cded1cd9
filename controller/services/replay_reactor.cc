#include "controller/services/replay_reactor.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "controller/auth/revocation.h"

namespace pedisim::services {

std::atomic<int> ReplayReactor::running_{0};

bool ReplayReactor::Reserve() {
  int now = running_.load();
  while (now < kMaxReplays) {
    if (running_.compare_exchange_weak(now, now + 1)) return true;
  }
  return false;
}

ReplayReactor::ReplayReactor(Open open, double speed, auth::Caller caller)
    : open_(std::move(open)), speed_(speed), caller_(std::move(caller)) {
  thread_ = std::thread([this] { Run(); });
}

bool ReplayReactor::WaitForWriteSlot(std::unique_lock<std::mutex>& lock) {
  changed_.wait(lock, [this] { return !writing_ || cancelled_; });
  return !cancelled_;
}

void ReplayReactor::Run() {
  grpc::Status status;
  try {
    Source source;
    status = open_(&source);
    if (status.ok()) status = Play(source);
  } catch (const std::exception& error) {
    spdlog::warn("replay stopped: {}", error.what());
    status = grpc::Status(grpc::StatusCode::DATA_LOSS, std::string("replay: ") + error.what());
  }
  bool cancelled = false;
  {
    // gRPC calls OnDone only after Finish, and Finish waits for the write in
    // flight (which a cancel completes with ok = false).
    std::unique_lock lock(mu_);
    changed_.wait(lock, [this] { return !writing_; });
    cancelled = cancelled_;
  }
  // The last use of this object on this thread: OnDone may delete it.
  Finish(cancelled ? grpc::Status::CANCELLED : status);
}

grpc::Status ReplayReactor::Play(Source& source) {
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> wall_start;
  double sim_start_s = 0;
  recording::RecordPlayer::Played played;
  while (source.player->Next(&played)) {
    if (source.filter && !source.filter(&played.update)) continue;
    std::unique_lock lock(mu_);
    if (!played.catching_up && speed_ > 0) {
      if (!wall_start) {
        wall_start = Clock::now();
        sim_start_s = played.sim_time_s;
      }
      const auto due =
          *wall_start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                            (played.sim_time_s - sim_start_s) / speed_));
      // Woken early only by a cancel.
      changed_.wait_until(lock, due, [this] { return cancelled_; });
    }
    if (!WaitForWriteSlot(lock)) break;
    if (!auth::StillValid(caller_, &credential_checked_)) return auth::RevokedStatus();
    in_flight_ = std::move(played.update);
    writing_ = true;
    StartWrite(&in_flight_);
  }
  return grpc::Status::OK;
}

void ReplayReactor::OnWriteDone(bool ok) {
  std::lock_guard lock(mu_);
  writing_ = false;
  // A broken stream ends the replay as a cancel does.
  if (!ok) cancelled_ = true;
  changed_.notify_all();
}

void ReplayReactor::OnCancel() {
  std::lock_guard lock(mu_);
  cancelled_ = true;
  changed_.notify_all();
}

void ReplayReactor::OnDone() {
  // Run has called Finish, its last act, so its thread is at its end.
  thread_.join();
  running_.fetch_sub(1);
  delete this;
}

}  // namespace pedisim::services
