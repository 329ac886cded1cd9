#pragma once

#include <memory>

#include "devices/adapter.h"
#include "pedisim/v1/actions.pb.h"
#include "devices/registry.h"

namespace pedisim::devices {

// An in-process manikin that plays a timed action file as a real manikin
// would report what learners do to it. Because it reports on simulated time,
// a scripted run is repeatable bit for bit.
//
// Config: "script" (the action file's YAML text) and "script_name" (its file
// name, for error messages). Without a script it senses nothing.
class VirtualManikin : public DeviceAdapter {
 public:
  static std::unique_ptr<DeviceAdapter> Create(const AdapterConfig& config);

  explicit VirtualManikin(v1::ActionScript script) : script_(std::move(script)) {}

  v1::DeviceIdentity Identity() const override;
  v1::DeviceCapabilities Capabilities() const override;
  void OnUpdate(const v1::SessionUpdate& update) override;
  std::vector<v1::LearnerAction> TakeObservations(double sim_time_s) override;
  std::string StatusDetail() const override;

 private:
  v1::ActionScript script_;
  int next_action_ = 0;
};

}  // namespace pedisim::devices
