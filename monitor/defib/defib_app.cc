#include "monitor/defib/defib_app.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/patient/patient_size.h"
#include "views/theme.h"
#include "views/trace_drawing.h"

namespace pedisim::monitor {

namespace colors = dashboard::colors;

namespace {
constexpr ImU32 kText = IM_COL32(235, 235, 235, 255);
constexpr ImU32 kDim = IM_COL32(110, 110, 120, 255);
constexpr ImU32 kKeyFill = IM_COL32(38, 42, 52, 255);
constexpr ImU32 kKeyLit = IM_COL32(60, 90, 140, 255);
constexpr ImU32 kShockRed = IM_COL32(220, 30, 30, 255);
constexpr ImU32 kPrompt = IM_COL32(255, 200, 0, 255);
constexpr ImU32 kTechnical = IM_COL32(0, 170, 200, 255);
constexpr ImU32 kGood = IM_COL32(60, 200, 90, 255);
constexpr ImU32 kBad = IM_COL32(235, 60, 60, 255);
// The ECG through the pads sweeps as on the monitor (25 mm/s there).
constexpr double kEcgWindowS = 6.0;

const char* ModeName(v1::DefibrillatorMode mode) {
  switch (mode) {
    case v1::DEFIBRILLATOR_MODE_SYNCHRONIZED:
      return "SYNC";
    case v1::DEFIBRILLATOR_MODE_AED:
      return "AED";
    default:
      return "MANUAL";
  }
}

const char* PadsName(v1::DefibrillatorPads pads) {
  switch (pads) {
    case v1::DEFIBRILLATOR_PADS_INFANT:
      return "INFANT PADS";
    case v1::DEFIBRILLATOR_PADS_CHILD_ADULT:
      return "CHILD/ADULT PADS";
    default:
      return "NO PADS";
  }
}

// Compression depth target by age (reference clinical.md §4: infant about
// 4 cm, child about 5 cm, adolescent 5-6 cm), and rate 100-120 a minute.
double DepthTargetMm(double age_years) {
  if (age_years < 1) return 40;
  return 50;
}
}  // namespace

DefibApp::DefibApp(MonitorModel& model, Reporter report, PromptSpeaker* speaker, ToneSynth* synth)
    : model_(model), report_(std::move(report)), speaker_(speaker), synth_(synth) {}

void DefibApp::LoadFonts(ImVec2 size) {
  unit_ = LayOut(size).unit;
  static constexpr ImWchar kNumericGlyphs[] = {0x0020, 0x005A, 0};
  label_font_ = dashboard::AddFont("DejaVuSans-Bold.ttf", std::round(22 * unit_));
  numeric_font_ = dashboard::AddFont("DejaVuSans-Bold.ttf", std::round(72 * unit_), kNumericGlyphs);
  ImGui::GetIO().FontDefault = label_font_;
  ImGui::StyleColorsDark();
  ImGui::GetStyle().AntiAliasedLines = false;
  ImGui::GetStyle().AntiAliasedLinesUseTex = false;
}

bool DefibApp::EcgShown() const {
  return defib_.pads() != v1::DEFIBRILLATOR_PADS_UNSPECIFIED ||
         view_.Attached(v1::MONITOR_SENSOR_ECG_LEADS);
}

bool DefibApp::ReadyForScreenshot() const {
  if (!view_.joined || !view_.has_vitals || !Live()) return false;
  return !EcgShown() || view_.waves[0].seconds_shown() >= 0.95 * kEcgWindowS;
}

void DefibApp::Report(const std::optional<v1::LearnerAction>& action) {
  if (action) report_(*action);
}

void DefibApp::Frame(double now_s) {
  now_s_ = now_s;
  if (!window_set_) {
    model_.SetWaveWindows({kEcgWindowS, kEcgWindowS, 24, 24});
    window_set_ = true;
  }
  model_.CopyInto(view_, Clock::now());
  const bool r_wave = view_.r_waves != r_waves_seen_ && r_waves_seen_ != 0;
  r_waves_seen_ = view_.r_waves;
  std::optional<v1::Rhythm> rhythm;
  if (Live() && view_.has_vitals && view_.vitals.vitals().has_rhythm()) {
    rhythm = view_.vitals.vitals().rhythm();
  }
  Report(defib_.Update(now_s, r_wave && Live(), rhythm));
  // The charge tone follows the charge: rising from the press, steady once
  // charged (the synth's own timing), silent after the shock or a dump.
  const Defibrillator::State state = defib_.state();
  if (synth_ != nullptr && state != sounded_state_) {
    if (state == Defibrillator::State::kCharging) {
      synth_->StartChargeTone(Defibrillator::ChargeTimeS(defib_.energy_j()));
    } else if (state != Defibrillator::State::kCharged) {
      synth_->StopChargeTone();
    }
  }
  sounded_state_ = state;
  // Each new prompt is spoken once, as AEDs do.
  if (speaker_ != nullptr && defib_.prompt() != prompt_spoken_) {
    prompt_spoken_ = defib_.prompt();
    if (!prompt_spoken_.empty()) speaker_->Say(prompt_spoken_);
  }

  const ImVec2 screen = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(screen);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, colors::kMonitorBackground);
  ImGui::Begin("defibrillator", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  text_.BeginFrame(draw);
  const MonitorLayout layout = LayOut(screen);
  // The instructor's blank and freeze (SetRoomDisplay), as on the monitor.
  const v1::RoomScreen room = view_.session.room_display().screen();
  if (room != v1::ROOM_SCREEN_FROZEN) {
    frozen_.reset();
  } else if (!frozen_) {
    frozen_ = view_;
  }
  if (room == v1::ROOM_SCREEN_BLANK) {
    text_.Place(label_font_, 40 * unit_, ImVec2(0, 0), screen, Align::kCenter, kDim,
                "Defibrillator paused by the instructor");
    audit_ = text_.EndFrame();
    ImGui::End();
    ImGui::PopStyleColor();
    ImGui::PopStyleVar(2);
    return;
  }
  if (frozen_) {
    frozen_->link = view_.link;
    std::swap(view_, *frozen_);
  }
  // Status bar: mode and pads, link.
  const Box& bar = layout.status_bar;
  draw->AddRectFilled(bar.min, bar.max, IM_COL32(20, 22, 28, 255));
  const float pad = 8 * unit_;
  const float third = bar.width() / 3;
  text_.Place(label_font_, 22 * unit_, ImVec2(pad, bar.min.y), ImVec2(third - pad, bar.max.y),
              Align::kLeft, kText, std::string(ModeName(defib_.mode())) + "  DEFIBRILLATOR");
  std::string link;
  if (view_.link == LinkState::kNoData) link = "NO DATA";
  if (view_.link == LinkState::kConnecting) link = "CONNECTING";
  if (!link.empty()) {
    draw->AddRectFilled(ImVec2(third, bar.min.y), ImVec2(2 * third, bar.max.y), kTechnical);
    text_.Place(label_font_, 22 * unit_, ImVec2(third + pad, bar.min.y),
                ImVec2(2 * third - pad, bar.max.y), Align::kCenter, kText, link);
  }
  text_.Place(label_font_, 22 * unit_, ImVec2(2 * third + pad, bar.min.y),
              ImVec2(bar.max.x - pad, bar.max.y), Align::kRight,
              defib_.pads() == v1::DEFIBRILLATOR_PADS_UNSPECIFIED ? kTechnical : kText,
              PadsName(defib_.pads()));
  // The ECG over the first two rows, the CPR feedback over the other two.
  DrawEcg(draw, {layout.rows[0].box.min, layout.rows[1].box.max});
  DrawCprFeedback(draw, {layout.rows[2].box.min, layout.rows[3].box.max});
  if (frozen_) {
    std::swap(view_, *frozen_);
    text_.Place(label_font_, 22 * unit_, layout.nibp.min, layout.temperature.max, Align::kCenter,
                kTechnical, "FROZEN BY THE INSTRUCTOR");
  } else {
    DrawPanel(draw, layout);
  }
  audit_ = text_.EndFrame();
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(2);
}

void DefibApp::DrawEcg(ImDrawList* draw, const Box& box) {
  const float label_h = 24 * unit_;
  const bool shown = EcgShown();
  text_.Place(label_font_, 20 * unit_, ImVec2(box.min.x + 6 * unit_, box.min.y),
              ImVec2(box.min.x + box.width() * 0.3f, box.min.y + label_h), Align::kLeft,
              shown ? colors::kHeartRate : kDim,
              defib_.pads() != v1::DEFIBRILLATOR_PADS_UNSPECIFIED ? "Pads" : "II");
  const Box trace{ImVec2(box.min.x, box.min.y + label_h * 2), box.max};
  if (view_.link == LinkState::kNoData) {
    text_.Place(label_font_, 40 * unit_, trace.min, trace.max, Align::kCenter, kText,
                "NO DATA - no signal from the controller");
    return;
  }
  if (!shown) {
    text_.Place(label_font_, 22 * unit_, trace.min, trace.max, Align::kCenter, kTechnical,
                "ATTACH PADS");
    return;
  }
  if (!Live()) return;
  const dashboard::SweepBuffer& ecg = view_.waves[0];
  dashboard::DrawSweepTrace(draw, trace.min, trace.max, ecg, colors::kHeartRate,
                            {-0.6f, 1.4f, true}, std::max(2.0f, std::round(2 * unit_)));
  if (defib_.mode() != v1::DEFIBRILLATOR_MODE_SYNCHRONIZED) return;
  // Sync markers: a triangle over each R wave on screen (Physio-Control's
  // marker, reference §7b).
  const double window = ecg.window_s();
  const double latest = ecg.latest_time_s();
  const float size = 8 * unit_;
  for (double at : view_.r_wave_times_s) {
    if (at <= latest - window + 0.3 || at > latest) continue;
    const float x =
        trace.min.x + static_cast<float>(std::fmod(at, window) / window) * trace.width();
    const float y = box.min.y + label_h * 1.2f;
    draw->AddTriangleFilled(ImVec2(x - size, y), ImVec2(x + size, y), ImVec2(x, y + size * 1.5f),
                            kText);
  }
}

void DefibApp::DrawCprFeedback(ImDrawList* draw, const Box& box) {
  const float pad = 8 * unit_;
  const float line = 26 * unit_;
  text_.Place(label_font_, 20 * unit_, ImVec2(box.min.x + pad, box.min.y + pad),
              ImVec2(box.min.x + box.width() * 0.5f, box.min.y + pad + line), Align::kLeft, kText,
              "CPR feedback");
  const double target_mm = DepthTargetMm(patient::AgeInYears(view_.session.patient()));
  // Feedback on recent compressions only: 2 s without one is a pause.
  const bool recent =
      Live() && view_.compression_at_s >= 0 && view_.sim_time_s - view_.compression_at_s < 2.0;
  const float bar_left = box.min.x + box.width() * 0.22f;
  const float bar_right = box.max.x - pad;
  const float bar_h = std::max(8.0f, (box.height() - 2 * line - 4 * pad) / 2);
  struct Bar {
    const char* label;
    double value;
    double low;
    double high;
    double scale_max;
    const char* unit;
  };
  const Bar bars[2] = {
      {"Rate", view_.compression.rate_per_min(), 100, 120, 160, "/min"},
      {"Depth", view_.compression.depth_mm(), target_mm - 5, target_mm + 10, target_mm * 1.6, "mm"},
  };
  for (int i = 0; i < 2; ++i) {
    const Bar& bar = bars[i];
    const float top = box.min.y + pad * 2 + line + static_cast<float>(i) * (bar_h + pad);
    text_.Place(label_font_, 18 * unit_, ImVec2(box.min.x + pad, top),
                ImVec2(bar_left - pad, top + bar_h), Align::kLeft, kText,
                recent ? fmt::format("{} {:.0f}", bar.label, bar.value) : bar.label);
    draw->AddRect(ImVec2(bar_left, top), ImVec2(bar_right, top + bar_h), kDim);
    const float width = bar_right - bar_left;
    auto x_of = [&](double value) {
      return bar_left + static_cast<float>(std::clamp(value / bar.scale_max, 0.0, 1.0)) * width;
    };
    // The target zone, then the latest compression's value.
    draw->AddRectFilled(ImVec2(x_of(bar.low), top), ImVec2(x_of(bar.high), top + bar_h),
                        IM_COL32(30, 80, 40, 255));
    if (recent) {
      const bool on_target = bar.value >= bar.low && bar.value <= bar.high;
      draw->AddRectFilled(ImVec2(bar_left, top + bar_h * 0.25f),
                          ImVec2(x_of(bar.value), top + bar_h * 0.75f), on_target ? kGood : kBad);
    }
  }
}

bool DefibApp::Key(ImDrawList* draw, const Box& box, const char* id, const std::string& text,
                   bool lit, bool enabled) {
  draw->AddRectFilled(box.min, box.max, lit ? kKeyLit : kKeyFill);
  text_.Place(label_font_, 19 * unit_, ImVec2(box.min.x + 4 * unit_, box.min.y),
              ImVec2(box.max.x - 4 * unit_, box.max.y), Align::kCenter, enabled ? kText : kDim,
              text);
  ImGui::SetCursorScreenPos(box.min);
  return ImGui::InvisibleButton(id, ImVec2(box.width(), box.height())) && enabled;
}

void DefibApp::DrawPanel(ImDrawList* draw, const MonitorLayout& layout) {
  const float pad = 6 * unit_;
  const bool live = Live() && view_.has_vitals;
  // HR.
  const Box& hr = layout.numerics[0];
  draw->AddRect(hr.min, hr.max, colors::kGrid);
  text_.Place(label_font_, 20 * unit_, ImVec2(hr.min.x + pad, hr.min.y + pad),
              ImVec2(hr.min.x + hr.width() * 0.3f, hr.min.y + pad + 24 * unit_), Align::kLeft,
              EcgShown() ? colors::kHeartRate : kDim, "HR");
  if (live && EcgShown() && view_.vitals.vitals().has_heart_rate_bpm()) {
    text_.Place(numeric_font_, numeric_font_->FontSize,
                ImVec2(hr.min.x + hr.width() * 0.3f, hr.min.y + pad),
                ImVec2(hr.max.x - pad, hr.max.y - pad), Align::kRight, colors::kHeartRate,
                fmt::format("{:.0f}", view_.vitals.vitals().heart_rate_bpm()));
  }
  // Energy and charge.
  const Box energy{layout.numerics[1].min, layout.numerics[2].max};
  const bool charged = defib_.state() == Defibrillator::State::kCharged;
  draw->AddRect(energy.min, energy.max, charged ? kShockRed : colors::kGrid, 0, 0,
                charged ? 3 * unit_ : 1);
  text_.Place(label_font_, 20 * unit_, ImVec2(energy.min.x + pad, energy.min.y + pad),
              ImVec2(energy.max.x - pad, energy.min.y + pad + 24 * unit_), Align::kLeft, kText,
              "Energy");
  text_.Place(numeric_font_, numeric_font_->FontSize,
              ImVec2(energy.min.x + pad, energy.min.y + pad + 24 * unit_),
              ImVec2(energy.max.x - pad, energy.max.y - 40 * unit_), Align::kRight, kText,
              fmt::format("{} J", defib_.energy_j()));
  std::string state;
  switch (defib_.state()) {
    case Defibrillator::State::kCharging:
      state = fmt::format("CHARGING {:.0f} %", 100 * defib_.ChargeProgress(now_s_));
      break;
    case Defibrillator::State::kCharged:
      state = defib_.sync_armed() ? "SYNC ARMED: SHOCK ON NEXT R" : "CHARGED";
      break;
    case Defibrillator::State::kAnalyzing:
      state = "ANALYZING";
      break;
    case Defibrillator::State::kIdle:
      state = fmt::format("{} shock{}", defib_.shocks(), defib_.shocks() == 1 ? "" : "s");
      break;
  }
  text_.Place(label_font_, 20 * unit_, ImVec2(energy.min.x + pad, energy.max.y - 36 * unit_),
              ImVec2(energy.max.x - pad, energy.max.y - pad), Align::kLeft,
              charged ? kShockRed : kText, state);
  // The AED's prompt (and the advice), across the strip.
  const Box prompt{layout.nibp.min, layout.temperature.max};
  draw->AddRect(prompt.min, prompt.max, colors::kGrid);
  if (!defib_.prompt().empty()) {
    text_.Place(label_font_, 34 * unit_, ImVec2(prompt.min.x + pad, prompt.min.y),
                ImVec2(prompt.max.x - pad, prompt.max.y), Align::kCenter, kPrompt, defib_.prompt());
  }
  // Keys.
  const bool on = Live();
  const bool pads = defib_.pads() != v1::DEFIBRILLATOR_PADS_UNSPECIFIED;
  const bool aed = defib_.mode() == v1::DEFIBRILLATOR_MODE_AED;
  int key = 0;
  if (Key(draw, layout.keys[key++], "pads-infant", "Infant pads",
          defib_.pads() == v1::DEFIBRILLATOR_PADS_INFANT, on)) {
    Press("pads-infant");
  }
  if (Key(draw, layout.keys[key++], "pads-child", "Child pads",
          defib_.pads() == v1::DEFIBRILLATOR_PADS_CHILD_ADULT, on)) {
    Press("pads-child");
  }
  if (Key(draw, layout.keys[key++], "mode", std::string("Mode ") + ModeName(defib_.mode()),
          defib_.mode() != v1::DEFIBRILLATOR_MODE_MANUAL, on)) {
    Press("mode");
  }
  if (Key(draw, layout.keys[key++], "energy-down", "Energy -", false, on && !aed)) {
    Press("energy-down");
  }
  if (Key(draw, layout.keys[key++], "energy-up", "Energy +", false, on && !aed)) {
    Press("energy-up");
  }
  if (Key(draw, layout.keys[key++], "charge", "Charge",
          defib_.state() == Defibrillator::State::kCharging, on && pads && !aed)) {
    Press("charge");
  }
  if (Key(draw, layout.keys[key++], "shock", "SHOCK", charged, on && charged)) Press("shock");
  if (Key(draw, layout.keys[key++], "analyze", "Analyze",
          defib_.state() == Defibrillator::State::kAnalyzing, on && pads && aed)) {
    Press("analyze");
  }
  if (Key(draw, layout.keys[key++], "metronome", "CPR metronome", metronome_on_, on)) {
    Press("metronome");
  }
}

bool DefibApp::Press(const std::string& key) {
  if (!Live()) return false;
  if (key == "pads-infant" || key == "pads-child") {
    const std::optional<v1::LearnerAction> action = defib_.PutPadsOn(
        key == "pads-infant" ? v1::DEFIBRILLATOR_PADS_INFANT : v1::DEFIBRILLATOR_PADS_CHILD_ADULT);
    Report(action);
    return action.has_value();
  }
  if (key == "mode") {
    const v1::DefibrillatorMode next =
        defib_.mode() == v1::DEFIBRILLATOR_MODE_MANUAL         ? v1::DEFIBRILLATOR_MODE_SYNCHRONIZED
        : defib_.mode() == v1::DEFIBRILLATOR_MODE_SYNCHRONIZED ? v1::DEFIBRILLATOR_MODE_AED
                                                               : v1::DEFIBRILLATOR_MODE_MANUAL;
    defib_.SetMode(next);
    return true;
  }
  if (key == "energy-down" || key == "energy-up") {
    const std::vector<int>& energies = Defibrillator::Energies();
    auto at = std::lower_bound(energies.begin(), energies.end(), defib_.energy_j());
    if (key == "energy-up" && at != energies.end() && std::next(at) != energies.end()) ++at;
    if (key == "energy-down" && at != energies.begin()) --at;
    if (at == energies.end()) return false;
    defib_.SelectEnergy(*at);
    return true;
  }
  if (key == "charge") {
    const std::optional<v1::LearnerAction> action = defib_.Charge(now_s_);
    Report(action);
    return action.has_value();
  }
  if (key == "shock") {
    const bool was_charged = defib_.state() == Defibrillator::State::kCharged;
    Report(defib_.PressShock(now_s_));
    return was_charged;
  }
  if (key == "analyze") return defib_.Analyze(now_s_);
  if (key == "metronome") {
    metronome_on_ = !metronome_on_;
    if (synth_ != nullptr) {
      synth_->SetMetronome(metronome_on_ ? std::optional<double>(kMetronomePerMinute)
                                         : std::nullopt);
    }
    return true;
  }
  return false;
}

}  // namespace pedisim::monitor
