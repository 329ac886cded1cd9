#pragma once

#include <map>
#include <string>
#include <vector>

#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/device.pb.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::devices {

using AdapterConfig = std::map<std::string, std::string>;

// The one interface between a session and a device (manikin, monitor,
// hospital system), whatever protocol it speaks. Adapters are thin: they
// translate session updates and learner-action observations to and from one
// wire protocol; they never decide clinical things or write files.
//
// A session calls every method from its own thread, one call at a time, so
// an adapter needs no locking of its own against the session; none of the
// calls may block.
class DeviceAdapter {
 public:
  virtual ~DeviceAdapter() = default;

  virtual v1::DeviceIdentity Identity() const = 0;
  virtual v1::DeviceCapabilities Capabilities() const = 0;

  // Every update that the session's watchers see, in order.
  virtual void OnUpdate(const v1::SessionUpdate& update) = 0;

  // Learner actions the device sensed up to `sim_time_s`; called once per
  // engine step, before the step, so the actions enter at that moment.
  virtual std::vector<v1::LearnerAction> TakeObservations(double sim_time_s) = 0;

  // One line on how it is doing, shown in Session.devices.
  virtual std::string StatusDetail() const = 0;
};

}  // namespace pedisim::devices
