#pragma once

// The defibrillator's screen (`pedisim-monitor --role defibrillator`): the
// ECG through the pads (or the monitor's leads) with sync markers on the R
// waves, HR, the selected energy, charge, the AED's prompts, and a CPR
// feedback bar from the manikin's compression samples (rate and depth
// against the age target). Every pad placement, charge and shock is
// reported to the session as a learner action with its energy, mode and
// pads, so the controller's J/kg check and the scenario's shock triggers
// apply as to any defibrillator.

#include <imgui.h>

#include <functional>
#include <optional>
#include <string>

#include "monitor/app/monitor_layout.h"
#include "monitor/app/room_screen.h"
#include "monitor/app/text_fit.h"
#include "monitor/audio/prompt_speaker.h"
#include "monitor/audio/tone_synth.h"
#include "monitor/defib/defibrillator.h"
#include "monitor/model/monitor_model.h"

namespace pedisim::monitor {

class DefibApp : public RoomScreen {
 public:
  using Reporter = std::function<void(const v1::LearnerAction&)>;

  // `speaker`: where the AED's prompts are spoken; null = on screen only.
  // `synth`: where the charge tone and the CPR metronome sound; null = silent.
  DefibApp(MonitorModel& model, Reporter report, PromptSpeaker* speaker,
           ToneSynth* synth = nullptr);
  void LoadFonts(ImVec2 size) override;
  void Frame(double now_s) override;

  // Keys by name, as a touch on them: "pads-infant", "pads-child", "mode"
  // (manual, sync, AED in turn), "energy-down", "energy-up", "charge",
  // "shock", "analyze", "metronome" (the CPR metronome on or off). False
  // when the key does nothing now.
  bool Press(const std::string& key) override;

  bool ReadyForScreenshot() const override;
  const MonitorView& view() const override { return view_; }
  const TextAudit& audit() const override { return audit_; }
  const Defibrillator& defibrillator() const { return defib_; }
  bool metronome_on() const { return metronome_on_; }
  // The CPR metronome's rate: the middle of the 100-120 compressions a
  // minute every age is given (docs/reference/clinical.md, S29).
  static constexpr double kMetronomePerMinute = 110;

 private:
  bool Live() const { return view_.link == LinkState::kLive; }
  // The ECG shows once the pads are on (they carry it) or the leads are.
  bool EcgShown() const;
  void Report(const std::optional<v1::LearnerAction>& action);
  bool Key(ImDrawList* draw, const Box& box, const char* id, const std::string& text, bool lit,
           bool enabled);
  void DrawEcg(ImDrawList* draw, const Box& box);
  void DrawCprFeedback(ImDrawList* draw, const Box& box);
  void DrawPanel(ImDrawList* draw, const MonitorLayout& layout);

  MonitorModel& model_;
  Reporter report_;
  PromptSpeaker* speaker_;
  ToneSynth* synth_;
  // The charge state the charge tone last followed, and the metronome.
  Defibrillator::State sounded_state_ = Defibrillator::State::kIdle;
  bool metronome_on_ = false;
  std::string prompt_spoken_;
  MonitorView view_;
  // The picture held while the instructor has the screens frozen.
  std::optional<MonitorView> frozen_;
  Defibrillator defib_;
  TextPlacer text_;
  TextAudit audit_;
  double now_s_ = 0;
  uint64_t r_waves_seen_ = 0;
  bool window_set_ = false;
  ImFont* label_font_ = nullptr;
  ImFont* numeric_font_ = nullptr;
  float unit_ = 1;
};

}  // namespace pedisim::monitor
