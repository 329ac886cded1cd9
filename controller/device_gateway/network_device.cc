#include "controller/device_gateway/network_device.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "core/wall_clock.h"

namespace pedisim::device_gateway {

NetworkDevice::NetworkDevice(v1::DeviceHello hello, std::shared_ptr<DeviceChannel> channel,
                             bool running, double speed)
    : hello_(std::move(hello)), channel_(std::move(channel)), speed_(speed), running_(running) {}

void NetworkDevice::OnUpdate(const v1::SessionUpdate& update) {
  if (update.has_snapshot()) {
    speed_ = update.snapshot().speed();
    running_ = update.snapshot().status() == v1::SESSION_STATUS_RUNNING;
  }
  if (update.has_event() && update.event().kind() == v1::EVENT_KIND_SPEED_CHANGED) {
    speed_ = update.event().speed();
  }
  channel_->PushUpdate(update);
}

std::vector<devices::Observation> NetworkDevice::TakeObservations(double sim_time_s) {
  const DeviceChannel::Clock::time_point now = DeviceChannel::Clock::now();
  std::vector<devices::Observation> observations;
  for (DeviceChannel::TimedObservation& taken : channel_->TakeObservations()) {
    devices::Observation& observation = observations.emplace_back();
    observation.action = std::move(taken.action);
    if (taken.sensed_at) {
      // Seconds of wall time since it was sensed are speed x seconds of
      // simulated time, while the clock runs. Never after now, never before
      // the session began.
      const double age_s =
          std::max(0.0, std::chrono::duration<double>(now - *taken.sensed_at).count());
      observation.sensed_sim_time_s = std::clamp(sim_time_s - (running_ ? age_s * speed_ : 0),
                                                 last_collected_sim_s_, sim_time_s);
    }
  }
  last_collected_sim_s_ = sim_time_s;
  observations_taken_ += observations.size();
  return observations;
}

std::string NetworkDevice::StatusDetail() const {
  const DeviceChannel::Figures figures = channel_->figures();
  std::string detail = fmt::format("{} observations", observations_taken_);
  if (figures.waveform_chunks_dropped > 0) {
    detail += fmt::format(", {} waveform chunks dropped", figures.waveform_chunks_dropped);
  }
  if (const std::optional<grpc::Status> closed = channel_->close_status();
      closed && !closed->ok()) {
    detail += ", link closing: " + closed->error_message();
  }
  return detail;
}

void NetworkDevice::FillLinkStatus(v1::Device* device) const {
  const DeviceChannel::Figures figures = channel_->figures();
  device->set_transport(figures.transport);
  if (figures.latency_ms) device->set_latency_ms(*figures.latency_ms);
  if (figures.clock_offset_ms) device->set_clock_offset_ms(*figures.clock_offset_ms);
  if (figures.last_seen) {
    *device->mutable_last_seen() = ToTimestamp(*figures.last_seen);
  }
  device->set_waveform_chunks_dropped(figures.waveform_chunks_dropped);
}

}  // namespace pedisim::device_gateway
