#pragma once

#include <memory>

#include "controller/device_gateway/device_channel.h"
#include "devices/adapter.h"

namespace pedisim::device_gateway {

// The session's side of a device that joined over the network: a thin
// adapter over its DeviceChannel. It is created by the controller when a
// device says hello, not from the adapter registry, because what it is
// comes from the device itself.
class NetworkDevice : public devices::DeviceAdapter {
 public:
  // `running` and `speed`: the session's pace when the device joins (its
  // welcome snapshot does not pass through OnUpdate).
  NetworkDevice(v1::DeviceHello hello, std::shared_ptr<DeviceChannel> channel, bool running,
                double speed);

  v1::DeviceIdentity Identity() const override { return hello_.identity(); }
  v1::DeviceCapabilities Capabilities() const override { return hello_.capabilities(); }
  void OnUpdate(const v1::SessionUpdate& update) override;
  bool WantsCprSamples() const override { return hello_.cpr_samples(); }
  bool WantsDeviceEvents() const override { return hello_.device_events(); }
  std::vector<devices::Observation> TakeObservations(double sim_time_s) override;
  std::string StatusDetail() const override;
  void FillLinkStatus(v1::Device* device) const override;

  const std::shared_ptr<DeviceChannel>& channel() const { return channel_; }

 private:
  const v1::DeviceHello hello_;
  const std::shared_ptr<DeviceChannel> channel_;
  // The pace, from the snapshots, to place sensed times on the sim timeline.
  double speed_ = 1;
  bool running_ = false;
  // Sensed times never reach back before the previous collection: wall time
  // spent paused is not simulated time.
  double last_collected_sim_s_ = 0;
  uint64_t observations_taken_ = 0;
};

}  // namespace pedisim::device_gateway
