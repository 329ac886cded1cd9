#pragma once

// The room's monitor screen, drawn with Dear ImGui's draw lists on any
// platform (a full-screen window, or headless for screenshots and tests):
// waveforms sweeping in monitor colours, numerics, NIBP with the time it
// was measured, and touch keys. A parameter shows only while its sensor is
// attached; a touch on an empty row (or a sensor key) attaches the sensor,
// which is reported to the session as a learner action. Without word from
// the controller for kNoDataAfter the screen says NO DATA and shows no
// values, never a frozen patient.

#include <imgui.h>

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "monitor/alarms/alarm_rules.h"
#include "monitor/alarms/alarm_silencer.h"
#include "monitor/app/monitor_layout.h"
#include "monitor/app/room_screen.h"
#include "monitor/app/text_fit.h"
#include "monitor/audio/tone_synth.h"
#include "monitor/model/monitor_model.h"
#include "monitor/model/nibp_measurement.h"

namespace pedisim::monitor {

class MonitorApp : public RoomScreen {
 public:
  // Where learner actions done on the monitor go (MonitorLink::Report).
  using Reporter = std::function<void(const v1::LearnerAction&)>;

  // `synth`: where sounds go; null for a silent monitor.
  MonitorApp(MonitorModel& model, Reporter report, ToneSynth* synth);

  // The monitor's keys, by name, as a touch on them does: "ecg", "spo2",
  // "co2", "temp", "cuff" (attach or remove the sensor), "nibp" (start or
  // stop a measurement), "auto" (next NIBP interval), "ack" (acknowledge
  // the alarms), "pause" (alarm audio paused 2 min, or resumed), "volume"
  // (next volume step, the last one mute). False for an unknown name or a
  // key that does nothing now (no link, no cuff).
  bool Press(const std::string& key) override;

  // Adds the monitor's fonts to ImGui's atlas for a screen of `size`.
  void LoadFonts(ImVec2 size) override;

  // Draws one frame; `now_s` is the monitor's own clock.
  void Frame(double now_s) override;

  // Headless runs: joined, numerics in, and every attached fast waveform
  // across its whole row.
  bool ReadyForScreenshot() const override;
  const MonitorView& view() const override { return view_; }
  // What the last frame drew: the live view, or the picture held while the
  // instructor has the screen frozen (what the learners see; the latency
  // benchmark reads it after each frame).
  const MonitorView& shown() const { return frozen_ ? *frozen_ : view_; }
  const TextAudit& audit() const override { return audit_; }
  const NibpMeasurement& nibp() const { return nibp_; }
  const std::vector<Alarm>& alarms() const { return alarms_; }
  // Waveform rows (kMinWaveRows..kMaxWaveRows) unless the instructor set
  // RoomDisplay.wave_rows for the room.
  void SetWaveRows(int wave_rows) { wave_rows_ = wave_rows; }
  // 0 = muted, up to kVolumeSteps.
  int volume_step() const { return volume_step_; }
  static constexpr int kVolumeSteps = 5;

 private:
  void DrawStatusBar(ImDrawList* draw, const MonitorLayout& layout, double now_s);
  // `says_no_data`: the row that carries the NO DATA message.
  void DrawWaveRow(ImDrawList* draw, const WaveRow& wave_row, bool says_no_data);
  void DrawNumerics(ImDrawList* draw, const MonitorLayout& layout);
  void DrawNibp(ImDrawList* draw, const MonitorLayout& layout, double now_s);
  void DrawKeys(ImDrawList* draw, const MonitorLayout& layout, double now_s);
  void UpdateAlarmsAndSound(double now_s);
  // The look of the alarms of `field` (or all, when empty): colour, and
  // whether it is lit this frame (flashing per priority).
  bool AlarmLit(const Alarm& alarm, double now_s) const;
  // Whether the instructor hid the Vitals field `field` from the room.
  bool Hidden(const std::string& field) const;
  // The instructor's volume, when it changes (SetRoomDisplay).
  void ApplyInstructorVolume(const v1::RoomDisplay& display);
  // A numeric box: label and unit top left, value large on the right.
  // `field`: the Vitals field whose alarms it shows.
  void DrawNumericBox(ImDrawList* draw, const Box& box, const char* label, const char* unit,
                      const char* field, ImU32 color, bool shown, const std::string& value,
                      const std::string& detail);
  // A touch key; true when pressed this frame.
  bool Key(ImDrawList* draw, const Box& box, const char* id, const std::string& text, bool lit,
           bool enabled = true);
  void ToggleSensor(v1::MonitorSensor sensor);
  bool Live() const { return view_.link == LinkState::kLive; }
  double AgeYears() const;

  MonitorModel& model_;
  Reporter report_;
  MonitorView view_;
  TextPlacer text_;
  TextAudit audit_;
  NibpMeasurement nibp_;
  ToneSynth* synth_;
  std::vector<Alarm> alarms_;
  AlarmSilencer silencer_;
  // Sensors attached at some time: one off now is a technical alarm.
  std::set<v1::MonitorSensor> ever_attached_;
  uint64_t pulses_heard_ = 0;
  int volume_step_ = 3;
  std::optional<uint32_t> instructor_volume_;
  // The picture held while the instructor has the screen frozen.
  std::optional<MonitorView> frozen_;
  double now_s_ = 0;
  // The monitor's own number of waveform rows (--rows), and the number the
  // model's sweep windows are set for (0: not yet).
  int wave_rows_ = kDefaultWaveRows;
  int windows_rows_ = 0;

  ImFont* label_font_ = nullptr;
  ImFont* numeric_font_ = nullptr;
  float unit_ = 1;
};

}  // namespace pedisim::monitor
