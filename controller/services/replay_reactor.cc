#include "controller/services/replay_reactor.h"

#include <spdlog/spdlog.h>

#include <chrono>

namespace pedisim::services {

ReplayReactor::ReplayReactor(std::unique_ptr<recording::RecordPlayer> player, double speed,
                             Filter filter)
    : player_(std::move(player)), speed_(speed), filter_(std::move(filter)) {
  thread_ = std::thread([this] { Run(); });
}

bool ReplayReactor::WaitForWriteSlot(std::unique_lock<std::mutex>& lock) {
  changed_.wait(lock, [this] { return !writing_ || cancelled_; });
  return !cancelled_;
}

void ReplayReactor::Run() {
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> wall_start;
  double sim_start_s = 0;
  grpc::Status status = grpc::Status::OK;
  try {
    recording::RecordPlayer::Played played;
    while (player_->Next(&played)) {
      if (filter_) filter_(&played.update);
      if (played.update.update_case() == v1::SessionUpdate::UPDATE_NOT_SET) continue;
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
      in_flight_ = std::move(played.update);
      writing_ = true;
      StartWrite(&in_flight_);
    }
  } catch (const std::exception& error) {
    spdlog::warn("replay stopped: {}", error.what());
    status = grpc::Status(grpc::StatusCode::DATA_LOSS, std::string("replay: ") + error.what());
  }
  // gRPC calls OnDone only after Finish, and Finish waits for the write in
  // flight (which a cancel completes with ok = false).
  std::unique_lock lock(mu_);
  changed_.wait(lock, [this] { return !writing_; });
  Finish(cancelled_ ? grpc::Status::CANCELLED : status);
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
  // Run has called Finish, so its thread is at its end (or is this one, if
  // gRPC ran the reaction inline).
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();
  } else {
    thread_.join();
  }
  delete this;
}

}  // namespace pedisim::services
