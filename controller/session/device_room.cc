#include "controller/session/device_room.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <set>

#include "controller/services/debrief_visibility.h"

namespace pedisim::session {

namespace {
bool IsCprSample(const v1::SessionUpdate& update) {
  if (!update.has_event() || !update.event().has_action()) return false;
  const v1::ActionKind kind = update.event().action().kind();
  return kind == v1::ACTION_KIND_CHEST_COMPRESSION || kind == v1::ACTION_KIND_VENTILATION;
}
bool IsDeviceEvent(const v1::SessionUpdate& update) {
  return update.has_event() && (update.event().kind() == v1::EVENT_KIND_DEVICE_ATTACHED ||
                                update.event().kind() == v1::EVENT_KIND_DEVICE_DISCONNECTED);
}
}  // namespace

DeviceRoom::DeviceRoom(std::vector<AttachedDevice> devices, const assessment::Assessor& grades)
    : devices_(std::move(devices)), grades_(grades) {
  CountWants();
}

void DeviceRoom::Send(const v1::SessionUpdate& update) {
  const bool cpr_sample = IsCprSample(update);
  if (cpr_sample && cpr_sample_devices_ == 0) return;
  const bool device_event = IsDeviceEvent(update);
  // Devices get snapshots without the device list (see DeviceAdapter::OnUpdate).
  std::optional<v1::SessionUpdate> without_devices;
  if (update.has_snapshot() && update.snapshot().devices_size() > 0) {
    without_devices = update;
    without_devices->mutable_snapshot()->clear_devices();
  }
  const v1::SessionUpdate& for_devices = without_devices ? *without_devices : update;
  // The learners' view, made once per update for every device that gets it
  // (the same function as a learner's Watch, so no path shows more).
  // Waveforms, numerics and CPR samples carry nothing to hide: no copy on
  // the hot path.
  const bool nothing_to_hide = update.has_waveform() || update.has_vitals() || cpr_sample;
  std::optional<v1::SessionUpdate> learner_view;
  bool learner_may_see = true;
  for (AttachedDevice& device : devices_) {
    if (!device.adapter || (cpr_sample && !device.wants_cpr_samples)) continue;
    if (device_event && !device.wants_device_events &&
        update.event().source() != device.info.name()) {
      continue;
    }
    const v1::SessionUpdate* shown = &for_devices;
    if (!device.instructor_view && !nothing_to_hide) {
      if (!learner_view) {
        learner_view = for_devices;
        learner_may_see = services::ShowLearner(&*learner_view, grades_.released());
      }
      if (!learner_may_see) continue;
      shown = &*learner_view;
    }
    try {
      device.adapter->OnUpdate(*shown);
    } catch (const std::exception& error) {
      Detach(device, error);
    }
  }
}

std::vector<devices::Observation> DeviceRoom::TakeObservations(AttachedDevice& device,
                                                               double sim_time_s) {
  if (!device.adapter) return {};
  try {
    return device.adapter->TakeObservations(sim_time_s);
  } catch (const std::exception& error) {
    Detach(device, error);
    return {};
  }
}

void DeviceRoom::Detach(AttachedDevice& device, const std::exception& error) {
  // A misbehaving device is cut off; the session goes on without it.
  spdlog::warn("device '{}' failed and was detached: {}", device.info.name(), error.what());
  device.info.set_status(v1::DEVICE_STATUS_FAULT);
  device.info.set_status_detail(std::string("detached after error: ") + error.what());
  device.adapter.reset();
  if (device.channel) {
    device.channel->Close(grpc::Status(grpc::StatusCode::INTERNAL,
                                       std::string("detached after error: ") + error.what()));
    device.channel.reset();
  }
  CountWants();
}

std::vector<std::string> DeviceRoom::MissingCapabilities(const v1::Scenario& scenario) const {
  std::set<std::string> provided;
  for (const AttachedDevice& device : devices_) {
    if (!device.adapter) continue;
    const v1::DeviceCapabilities& capabilities = device.info.capabilities();
    provided.insert(capabilities.renders_vitals().begin(), capabilities.renders_vitals().end());
    provided.insert(capabilities.senses_actions().begin(), capabilities.senses_actions().end());
    provided.insert(capabilities.renders_findings().begin(), capabilities.renders_findings().end());
    provided.insert(capabilities.senses_measures().begin(), capabilities.senses_measures().end());
    for (int kind : capabilities.renders_waveforms()) {
      provided.insert(v1::WaveformKind_Name(static_cast<v1::WaveformKind>(kind)));
    }
  }
  std::vector<std::string> missing;
  for (const std::string& required : scenario.required_capabilities()) {
    if (!provided.contains(required)) missing.push_back(required);
  }
  return missing;
}

const AttachedDevice* DeviceRoom::Find(const std::string& name) const {
  for (const AttachedDevice& device : devices_) {
    if (device.info.name() == name) return &device;
  }
  return nullptr;
}

AttachedDevice* DeviceRoom::Find(const std::string& name) {
  for (AttachedDevice& device : devices_) {
    if (device.info.name() == name) return &device;
  }
  return nullptr;
}

void DeviceRoom::Attach(AttachedDevice device) {
  if (AttachedDevice* existing = Find(device.info.name())) {
    *existing = std::move(device);
  } else {
    devices_.push_back(std::move(device));
  }
  CountWants();
}

void DeviceRoom::CountWants() {
  cpr_sample_devices_ = 0;
  for (AttachedDevice& device : devices_) {
    device.wants_cpr_samples = device.adapter && device.adapter->WantsCprSamples();
    device.wants_device_events = device.adapter && device.adapter->WantsDeviceEvents();
    if (device.wants_cpr_samples) ++cpr_sample_devices_;
  }
}

bool DeviceRoom::MarkDisconnected(const std::string& name,
                                  const device_gateway::DeviceChannel* channel,
                                  const std::string& reason) {
  AttachedDevice* device = Find(name);
  if (device == nullptr || device->channel.get() != channel || !device->adapter) return false;
  // Keep the last link figures in the listing; they tell when it was last seen.
  device->adapter->FillLinkStatus(&device->info);
  device->info.set_status(v1::DEVICE_STATUS_DISCONNECTED);
  device->info.set_status_detail("disconnected: " + reason);
  device->adapter.reset();
  device->channel.reset();
  CountWants();
  return true;
}

std::vector<v1::Device> DeviceRoom::Listing() const {
  std::vector<v1::Device> listed;
  for (const AttachedDevice& device : devices_) {
    v1::Device& info = listed.emplace_back(device.info);
    if (!device.adapter) continue;
    try {
      device.adapter->FillLinkStatus(&info);
      info.set_status(device.adapter->Health());
      info.set_status_detail(device.adapter->StatusDetail());
    } catch (const std::exception& error) {
      info.set_status_detail(std::string("status unavailable: ") + error.what());
    }
  }
  return listed;
}

}  // namespace pedisim::session
