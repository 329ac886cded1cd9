#include "monitor/model/monitor_model.h"

#include <span>
#include <vector>

namespace pedisim::monitor {

v1::MonitorSensor SensorOf(Wave wave) {
  switch (wave) {
    case Wave::kEcg:
      return v1::MONITOR_SENSOR_ECG_LEADS;
    case Wave::kPleth:
      return v1::MONITOR_SENSOR_SPO2_PROBE;
    case Wave::kCapnogram:
      return v1::MONITOR_SENSOR_CAPNOGRAPHY;
    case Wave::kRespiration:
      // Impedance respiration comes through the ECG electrodes.
      return v1::MONITOR_SENSOR_ECG_LEADS;
  }
  return v1::MONITOR_SENSOR_UNSPECIFIED;
}

void MonitorModel::Joined(const v1::DeviceWelcome& welcome) {
  std::lock_guard lock(mu_);
  const bool same_session = state_.session_id == welcome.session_id();
  state_.joined = true;
  state_.session_id = welcome.session_id();
  state_.device_name = welcome.device_name();
  if (!same_session) {
    for (dashboard::SweepBuffer& wave : state_.waves) wave.Clear();
    state_.has_vitals = false;
  }
  link_up_ = true;
  last_heard_ = Clock::now();
  state_.link_detail.clear();
  v1::SessionUpdate snapshot;
  *snapshot.mutable_snapshot() = welcome.snapshot();
  ApplyLocked(snapshot);
}

void MonitorModel::Apply(const v1::SessionUpdate& update) {
  std::lock_guard lock(mu_);
  last_heard_ = Clock::now();
  ApplyLocked(update);
}

void MonitorModel::ApplyLocked(const v1::SessionUpdate& update) {
  ++state_.revision;
  if (update.has_snapshot()) {
    state_.session = update.snapshot();
    state_.attached.clear();
    for (int sensor : update.snapshot().attached_sensors()) {
      state_.attached.insert(static_cast<v1::MonitorSensor>(sensor));
    }
    state_.session_running = update.snapshot().status() == v1::SESSION_STATUS_RUNNING;
    state_.session_ended = update.snapshot().status() == v1::SESSION_STATUS_STOPPED ||
                           update.snapshot().status() == v1::SESSION_STATUS_COMPLETED;
    if (update.snapshot().has_vitals() && !state_.has_vitals) {
      state_.vitals.set_sim_time_s(update.snapshot().sim_time_s());
      *state_.vitals.mutable_vitals() = update.snapshot().vitals();
      state_.has_vitals = true;
    }
  }
  if (update.has_vitals()) {
    state_.vitals = update.vitals();
    state_.has_vitals = true;
    state_.sim_time_s = update.vitals().sim_time_s();
  }
  if (update.has_waveform()) {
    const v1::WaveformChunk& chunk = update.waveform();
    const int row = static_cast<int>(chunk.kind()) - 1;
    if (row >= 0 && row < kWaveCount) {
      const std::span<const float> samples(chunk.samples().data(),
                                           static_cast<size_t>(chunk.samples_size()));
      state_.waves[static_cast<size_t>(row)].Append(chunk.start_sim_time_s(),
                                                    chunk.sample_rate_hz(), samples);
      if (chunk.kind() == v1::WAVEFORM_KIND_PLETH) {
        pulse_detector_.Feed(samples);
        state_.pulses = pulse_detector_.total();
      }
      if (chunk.kind() == v1::WAVEFORM_KIND_ECG_II) {
        std::vector<size_t> at;
        r_wave_detector_.Feed(samples, &at);
        state_.r_waves = r_wave_detector_.total();
        for (size_t index : at) {
          state_.r_wave_times_s.push_back(chunk.start_sim_time_s() +
                                          static_cast<double>(index) / chunk.sample_rate_hz());
        }
        while (state_.r_wave_times_s.size() > 64) state_.r_wave_times_s.pop_front();
      }
    }
  }
  if (update.has_event()) {
    const v1::Event& event = update.event();
    if (event.kind() == v1::EVENT_KIND_LEARNER_ACTION && event.has_action()) {
      const v1::LearnerAction& action = event.action();
      if (action.kind() == v1::ACTION_KIND_SENSOR_ATTACHED) state_.attached.insert(action.sensor());
      if (action.kind() == v1::ACTION_KIND_SENSOR_REMOVED) state_.attached.erase(action.sensor());
      if (action.kind() == v1::ACTION_KIND_CHEST_COMPRESSION) {
        state_.compression = action.compression();
        state_.compression_at_s =
            event.has_sensed_sim_time_s() ? event.sensed_sim_time_s() : event.sim_time_s();
        ++state_.compressions;
      }
    }
  }
}

void MonitorModel::Heard() {
  std::lock_guard lock(mu_);
  last_heard_ = Clock::now();
}

void MonitorModel::LinkDown(const std::string& why) {
  std::lock_guard lock(mu_);
  link_up_ = false;
  state_.link_detail = why;
  ++state_.revision;
}

void MonitorModel::CopyInto(MonitorView& view, Clock::time_point now) {
  std::lock_guard lock(mu_);
  LinkState link = LinkState::kConnecting;
  if (state_.joined) {
    link = link_up_ && now - last_heard_ < kNoDataAfter ? LinkState::kLive : LinkState::kNoData;
  }
  if (view.revision != state_.revision) view = state_;
  view.link = link;
}

void MonitorModel::SetWaveWindows(const std::array<double, kWaveCount>& window_s) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < window_s.size(); ++i) {
    if (state_.waves[i].window_s() != window_s[i]) state_.waves[i].SetWindow(window_s[i]);
  }
  ++state_.revision;
}

}  // namespace pedisim::monitor
