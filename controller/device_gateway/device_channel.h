#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pedisim/v1/device_service.pb.h"

namespace pedisim::device_gateway {

// The mailbox between a session and one network device, whatever transport
// carries it (a DeviceService.Connect stream, a TCP socket). The session side
// pushes updates and takes observations; the transport side pops what to send
// and hands in what arrived. Both sides only queue and return, so a slow or
// silent device never stalls the session: waveform chunks for a lagging
// device are dropped oldest first (and counted), events and snapshots never
// are; a device so far behind that even they pile up past the limit is
// disconnected instead, and gets a fresh snapshot when it reconnects.
//
// Thread-safe. The transport's wakeup is called after something was queued
// or the channel closed, never with the channel's lock held.
class DeviceChannel {
 public:
  using Clock = std::chrono::system_clock;

  struct Limits {
    // Waveform chunks waiting to be sent; the oldest go first beyond this.
    size_t waveform_chunks = 64;
    // Events, numerics and snapshots waiting; beyond this the device is
    // disconnected as too slow.
    size_t reliable_backlog = 10000;
    // Observations waiting for the next engine step; beyond this the device
    // is disconnected as flooding (60 Hz CPR samples fill 6,000 in 100 s of
    // a paused session).
    size_t observations = 6000;
  };

  struct TimedObservation {
    v1::LearnerAction action;
    // Controller clock when the device sensed it (offset applied), if stamped.
    std::optional<Clock::time_point> sensed_at;
  };

  // Heartbeat-derived link figures.
  struct Figures {
    std::string transport;
    std::optional<Clock::time_point> last_seen;
    // The same moment on the steady clock, for liveness: a wall-clock step
    // (NTP) must not disconnect every device at once.
    std::optional<std::chrono::steady_clock::time_point> last_heard;
    // Half the shortest recent heartbeat round trip.
    std::optional<double> latency_ms;
    std::optional<double> clock_offset_ms;  // device clock minus controller clock
    uint64_t waveform_chunks_dropped = 0;
    // What waits to be taken by the transport, and since when the transport
    // has taken nothing while something waited (unset when nothing waits):
    // a device that stopped reading shows as an old `waiting_since`.
    size_t queued_messages = 0;
    size_t queued_bytes = 0;
    std::optional<std::chrono::steady_clock::time_point> waiting_since;
  };

  DeviceChannel(std::string transport, std::set<v1::WaveformKind> waveforms, Limits limits);
  DeviceChannel(const DeviceChannel&) = delete;
  DeviceChannel& operator=(const DeviceChannel&) = delete;

  // --- transport side
  // After SetWakeup returns, the previous wakeup is not running and will not
  // be called again.
  void SetWakeup(std::function<void()> wakeup);
  // Called (on the transport's thread, outside the channel's locks) after
  // an observation was queued, so that the session takes it at once rather
  // than at its next engine step; not for the manikin's compression and
  // ventilation samples, which stream. Same guarantee as SetWakeup.
  void SetObservationHook(std::function<void()> hook);
  // The next message to send, if any; events and snapshots before waveforms.
  bool PopOutgoing(v1::ControllerMessage* message);
  // A heartbeat or an observation the device sent after its hello (checked
  // by the caller). Stamps last_seen.
  void Receive(const v1::DeviceMessage& message);
  // Ends the link; the first reason wins. OK means an orderly end (the
  // session ended): the transport sends what is queued, then closes.
  void Close(const grpc::Status& why);
  std::optional<grpc::Status> close_status() const;
  // Closed, and for an orderly close, nothing left to send.
  bool Drained() const;

  // --- controller side
  // Welcome and heartbeats.
  void Push(v1::ControllerMessage message);
  // Every session update; waveforms only of the kinds the device asked for.
  // The final snapshot of an ended session closes the channel with OK.
  void PushUpdate(const v1::SessionUpdate& update);
  std::vector<TimedObservation> TakeObservations();
  // Queues a heartbeat that echoes the device's latest one.
  void SendHeartbeat();
  Figures figures() const;

 private:
  void WakeTransport();
  void CloseLocked(const grpc::Status& why);
  void OnHeartbeatLocked(const v1::Heartbeat& heartbeat, Clock::time_point now);
  Clock::time_point ToControllerClockLocked(Clock::time_point device_time) const;
  // Book-keeping of what waits: call after a message of `bytes` was queued
  // (positive) or taken or dropped (negative).
  void NoteQueuedLocked(std::ptrdiff_t bytes, std::ptrdiff_t messages);

  const std::string transport_;
  const std::set<v1::WaveformKind> waveforms_;
  const Limits limits_;

  mutable std::mutex mu_;
  std::deque<v1::ControllerMessage> reliable_;
  std::deque<v1::ControllerMessage> waveform_queue_;
  std::vector<TimedObservation> observations_;
  std::optional<grpc::Status> closed_;
  uint64_t waveform_chunks_dropped_ = 0;
  size_t queued_bytes_ = 0;
  size_t queued_messages_ = 0;
  // When the transport last took something, or when something started
  // waiting in an empty queue, whichever is later.
  std::chrono::steady_clock::time_point last_progress_;

  // Heartbeats: ours, and the device's latest for the echo.
  uint64_t next_sequence_ = 1;
  std::optional<Clock::time_point> last_seen_;
  std::optional<std::chrono::steady_clock::time_point> last_heard_;
  std::optional<v1::Heartbeat> device_heartbeat_;
  Clock::time_point device_heartbeat_received_at_;
  struct Sample {
    double round_trip_ms;
    double offset_ms;
  };
  std::deque<Sample> samples_;  // the latest few; the one with the shortest round trip is trusted

  // Separate from mu_ so that SetWakeup can wait for a running wakeup
  // without blocking the queues.
  std::mutex wakeup_mu_;
  std::function<void()> wakeup_;
  std::mutex observation_hook_mu_;
  std::function<void()> observation_hook_;
};

}  // namespace pedisim::device_gateway
