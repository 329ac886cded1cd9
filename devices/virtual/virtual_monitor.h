#pragma once

#include <cstdint>
#include <memory>

#include "devices/adapter.h"
#include "devices/registry.h"

namespace pedisim::devices {

// An in-process patient monitor: it shows the latest numerics, as a bedside
// monitor would, and reports them in its status line. It senses nothing.
class VirtualMonitor : public DeviceAdapter {
 public:
  // Takes no configuration.
  static std::unique_ptr<DeviceAdapter> Create(const AdapterConfig& config);

  v1::DeviceIdentity Identity() const override;
  v1::DeviceCapabilities Capabilities() const override;
  void OnUpdate(const v1::SessionUpdate& update) override;
  std::vector<Observation> TakeObservations(double sim_time_s) override;
  std::string StatusDetail() const override;

 private:
  v1::VitalsSample shown_;
  uint64_t samples_shown_ = 0;
};

}  // namespace pedisim::devices
