#include "controller/device_gateway/device_channel.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "core/wall_clock.h"

namespace pedisim::device_gateway {
namespace {

// Enough heartbeats to ride out a few slow ones, few enough to follow drift.
constexpr size_t kClockSamples = 8;

double Milliseconds(DeviceChannel::Clock::duration duration) {
  return std::chrono::duration<double, std::milli>(duration).count();
}

bool IsFinal(v1::SessionStatus status) {
  return status == v1::SESSION_STATUS_STOPPED || status == v1::SESSION_STATUS_COMPLETED;
}

}  // namespace

DeviceChannel::DeviceChannel(std::string transport, std::set<v1::WaveformKind> waveforms,
                             Limits limits)
    : transport_(std::move(transport)), waveforms_(std::move(waveforms)), limits_(limits) {}

void DeviceChannel::SetWakeup(std::function<void()> wakeup) {
  std::lock_guard lock(wakeup_mu_);
  wakeup_ = std::move(wakeup);
}

void DeviceChannel::SetObservationHook(std::function<void()> hook) {
  std::lock_guard lock(observation_hook_mu_);
  observation_hook_ = std::move(hook);
}

void DeviceChannel::WakeTransport() {
  std::lock_guard lock(wakeup_mu_);
  if (wakeup_) wakeup_();
}

bool DeviceChannel::PopOutgoing(v1::ControllerMessage* message) {
  std::lock_guard lock(mu_);
  // After an error close nothing more is sent; after an orderly one, the rest.
  if (closed_ && !closed_->ok()) return false;
  std::deque<v1::ControllerMessage>& queue = !reliable_.empty() ? reliable_ : waveform_queue_;
  if (queue.empty()) return false;
  *message = std::move(queue.front());
  queue.pop_front();
  last_progress_ = std::chrono::steady_clock::now();
  NoteQueuedLocked(-static_cast<std::ptrdiff_t>(message->ByteSizeLong()), -1);
  return true;
}

void DeviceChannel::NoteQueuedLocked(std::ptrdiff_t bytes, std::ptrdiff_t messages) {
  if (messages > 0 && queued_messages_ == 0) last_progress_ = std::chrono::steady_clock::now();
  queued_bytes_ = static_cast<size_t>(static_cast<std::ptrdiff_t>(queued_bytes_) + bytes);
  queued_messages_ = static_cast<size_t>(static_cast<std::ptrdiff_t>(queued_messages_) + messages);
}

void DeviceChannel::Receive(const v1::DeviceMessage& message) {
  bool queued = false;
  bool urgent = false;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    const Clock::time_point now = Clock::now();
    last_seen_ = now;
    last_heard_ = std::chrono::steady_clock::now();
    if (message.has_heartbeat()) {
      OnHeartbeatLocked(message.heartbeat(), now);
      return;
    }
    if (!message.has_observation()) return;
    if (observations_.size() >= limits_.observations) {
      CloseLocked(grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          fmt::format("observation: more than {} waiting for the session (is it paused?); "
                      "the device sends faster than the session takes them",
                      limits_.observations)));
    } else {
      TimedObservation& taken = observations_.emplace_back();
      taken.action = message.observation().action();
      if (message.observation().has_sensed_at()) {
        taken.sensed_at = ToControllerClockLocked(FromTimestamp(message.observation().sensed_at()));
      }
      queued = true;
      // A manikin's compression and ventilation samples stream at up to
      // 60 Hz with their sensed times: the next step takes them in bulk.
      // Anything else a learner did (a shock) is worth waking the session.
      const v1::ActionKind kind = taken.action.kind();
      urgent = kind != v1::ACTION_KIND_CHEST_COMPRESSION && kind != v1::ACTION_KIND_VENTILATION;
    }
  }
  if (!queued) {
    WakeTransport();  // closed for too many waiting: the close goes out
    return;
  }
  if (!urgent) return;
  std::lock_guard lock(observation_hook_mu_);
  if (observation_hook_) observation_hook_();
}

void DeviceChannel::OnHeartbeatLocked(const v1::Heartbeat& heartbeat, Clock::time_point now) {
  device_heartbeat_ = heartbeat;
  device_heartbeat_received_at_ = now;
  if (heartbeat.echo_sequence() == 0 || !heartbeat.has_echo_sent_at() ||
      !heartbeat.has_echo_received_at() || !heartbeat.has_sent_at()) {
    return;
  }
  // NTP's four timestamps: we sent at t0, the device got it at t1 and sent
  // this at t2 (its clock), and it arrived at t3.
  const Clock::time_point t0 = FromTimestamp(heartbeat.echo_sent_at());
  const Clock::time_point t1 = FromTimestamp(heartbeat.echo_received_at());
  const Clock::time_point t2 = FromTimestamp(heartbeat.sent_at());
  const Clock::time_point t3 = now;
  const double round_trip_ms = std::max(0.0, Milliseconds((t3 - t0) - (t2 - t1)));
  const double offset_ms = (Milliseconds(t1 - t0) + Milliseconds(t2 - t3)) / 2;
  samples_.push_back({round_trip_ms, offset_ms});
  if (samples_.size() > kClockSamples) samples_.pop_front();
}

DeviceChannel::Clock::time_point DeviceChannel::ToControllerClockLocked(
    Clock::time_point device_time) const {
  if (samples_.empty()) return device_time;
  // The shortest round trip had the least queueing in it: trust its offset.
  const Sample& best = *std::min_element(
      samples_.begin(), samples_.end(),
      [](const Sample& a, const Sample& b) { return a.round_trip_ms < b.round_trip_ms; });
  return device_time - std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double, std::milli>(best.offset_ms));
}

void DeviceChannel::Close(const grpc::Status& why) {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    CloseLocked(why);
  }
  WakeTransport();
}

void DeviceChannel::CloseLocked(const grpc::Status& why) {
  if (!closed_) closed_ = why;
}

std::optional<grpc::Status> DeviceChannel::close_status() const {
  std::lock_guard lock(mu_);
  return closed_;
}

bool DeviceChannel::Drained() const {
  std::lock_guard lock(mu_);
  if (!closed_) return false;
  return !closed_->ok() || (reliable_.empty() && waveform_queue_.empty());
}

void DeviceChannel::Push(v1::ControllerMessage message) {
  *message.mutable_queued_at() = NowTimestamp();
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    NoteQueuedLocked(static_cast<std::ptrdiff_t>(message.ByteSizeLong()), 1);
    reliable_.push_back(std::move(message));
  }
  WakeTransport();
}

void DeviceChannel::PushUpdate(const v1::SessionUpdate& update) {
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    if (update.has_waveform()) {
      if (!waveforms_.contains(update.waveform().kind())) return;
      if (waveform_queue_.size() >= limits_.waveform_chunks) {
        NoteQueuedLocked(-static_cast<std::ptrdiff_t>(waveform_queue_.front().ByteSizeLong()), -1);
        waveform_queue_.pop_front();
        ++waveform_chunks_dropped_;
      }
      v1::ControllerMessage& queued = waveform_queue_.emplace_back();
      *queued.mutable_update() = update;
      *queued.mutable_queued_at() = NowTimestamp();
      NoteQueuedLocked(static_cast<std::ptrdiff_t>(queued.ByteSizeLong()), 1);
    } else if (update.has_vitals() && !reliable_.empty() &&
               reliable_.back().update().has_vitals()) {
      // Numerics still waiting are stale once newer ones exist.
      const auto stale_bytes = static_cast<std::ptrdiff_t>(reliable_.back().ByteSizeLong());
      *reliable_.back().mutable_update() = update;
      *reliable_.back().mutable_queued_at() = NowTimestamp();
      NoteQueuedLocked(static_cast<std::ptrdiff_t>(reliable_.back().ByteSizeLong()) - stale_bytes,
                       0);
    } else if (reliable_.size() >= limits_.reliable_backlog) {
      CloseLocked(grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          fmt::format("device too slow: more than {} updates waiting; reconnect for a fresh "
                      "snapshot",
                      limits_.reliable_backlog)));
    } else {
      v1::ControllerMessage& queued = reliable_.emplace_back();
      *queued.mutable_update() = update;
      *queued.mutable_queued_at() = NowTimestamp();
      NoteQueuedLocked(static_cast<std::ptrdiff_t>(queued.ByteSizeLong()), 1);
      if (update.has_snapshot() && IsFinal(update.snapshot().status())) {
        CloseLocked(grpc::Status::OK);
      }
    }
  }
  WakeTransport();
}

std::vector<DeviceChannel::TimedObservation> DeviceChannel::TakeObservations() {
  std::lock_guard lock(mu_);
  std::vector<TimedObservation> taken;
  taken.swap(observations_);
  return taken;
}

void DeviceChannel::SendHeartbeat() {
  v1::ControllerMessage message;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    v1::Heartbeat& heartbeat = *message.mutable_heartbeat();
    heartbeat.set_sequence(next_sequence_++);
    *heartbeat.mutable_sent_at() = NowTimestamp();
    *message.mutable_queued_at() = heartbeat.sent_at();
    if (device_heartbeat_) {
      heartbeat.set_echo_sequence(device_heartbeat_->sequence());
      *heartbeat.mutable_echo_sent_at() = device_heartbeat_->sent_at();
      *heartbeat.mutable_echo_received_at() = ToTimestamp(device_heartbeat_received_at_);
    }
    NoteQueuedLocked(static_cast<std::ptrdiff_t>(message.ByteSizeLong()), 1);
    reliable_.push_back(std::move(message));
  }
  WakeTransport();
}

DeviceChannel::Figures DeviceChannel::figures() const {
  std::lock_guard lock(mu_);
  Figures figures;
  figures.transport = transport_;
  figures.last_seen = last_seen_;
  figures.last_heard = last_heard_;
  figures.waveform_chunks_dropped = waveform_chunks_dropped_;
  figures.queued_messages = queued_messages_;
  figures.queued_bytes = queued_bytes_;
  if (queued_messages_ > 0) figures.waiting_since = last_progress_;
  if (!samples_.empty()) {
    const Sample& best = *std::min_element(
        samples_.begin(), samples_.end(),
        [](const Sample& a, const Sample& b) { return a.round_trip_ms < b.round_trip_ms; });
    // The sample that waited least in queues on either side is the one
    // closest to the wire: its half round trip bounds its offset's error.
    figures.latency_ms = best.round_trip_ms / 2;
    figures.clock_offset_ms = best.offset_ms;
  }
  return figures;
}

}  // namespace pedisim::device_gateway
