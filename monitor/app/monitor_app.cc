#include "monitor/app/monitor_app.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <ctime>

#include "core/patient/patient_size.h"
#include "views/theme.h"
#include "views/trace_drawing.h"

namespace pedisim::monitor {

namespace colors = dashboard::colors;

namespace {

struct WaveStyle {
  const char* label;
  const char* sensor_off;  // what the row says while its sensor is off
  ImU32 color;
  dashboard::TraceScale scale;
};

// ECG and HR green, SpO2 and pleth cyan, CO2 yellow, respiration white,
// blood pressure red, temperature magenta: docs/monitor.md (reference
// monitor.md §5: no standard exists; this is the common vendor-like set).
const WaveStyle kWaveStyles[kWaveCount] = {
    {"II", "ECG LEADS OFF", colors::kHeartRate, {-0.6f, 1.4f, true}},
    {"Pleth", "SpO2 PROBE OFF", colors::kSpo2, {-0.05f, 1.05f, false}},
    {"CO2", "NO CO2 LINE", colors::kCo2, {-2.0f, 60.0f, false}},
    {"Resp", "ECG LEADS OFF", colors::kRespiration, {-0.05f, 1.05f, false}},
};

// Technical messages (a sensor off): cyan, as low-priority technical
// alarms are shown (reference monitor.md §1a).
constexpr ImU32 kTechnical = IM_COL32(0, 170, 200, 255);
constexpr ImU32 kDim = IM_COL32(110, 110, 120, 255);
constexpr ImU32 kKeyFill = IM_COL32(38, 42, 52, 255);
constexpr ImU32 kKeyLit = IM_COL32(60, 90, 140, 255);
constexpr ImU32 kText = IM_COL32(235, 235, 235, 255);
constexpr ImU32 kNoData = IM_COL32(255, 255, 255, 255);
// Alarm colours (IEC 60601-1-8, reference monitor.md §1a): high red,
// medium yellow, low cyan (technical) or yellow.
constexpr ImU32 kAlarmHigh = IM_COL32(230, 0, 0, 255);
constexpr ImU32 kAlarmMedium = IM_COL32(255, 200, 0, 255);
constexpr ImU32 kAlarmLow = IM_COL32(0, 170, 200, 255);

ImU32 AlarmColor(const Alarm& alarm) {
  switch (alarm.priority) {
    case AlarmPriority::kHigh:
      return kAlarmHigh;
    case AlarmPriority::kMedium:
      return kAlarmMedium;
    case AlarmPriority::kLow:
      return alarm.technical ? kAlarmLow : kAlarmMedium;
  }
  return kAlarmLow;
}

// Flashing (reference monitor.md §1a): high 1.4-2.8 Hz, medium 0.4-0.8 Hz,
// low steady; 50 % duty (within 20-60 %).
constexpr double kHighFlashHz = 2.0;
constexpr double kMediumFlashHz = 0.6;

const char* SensorKeyName(v1::MonitorSensor sensor) {
  switch (sensor) {
    case v1::MONITOR_SENSOR_ECG_LEADS:
      return "ECG";
    case v1::MONITOR_SENSOR_SPO2_PROBE:
      return "SpO2";
    case v1::MONITOR_SENSOR_CAPNOGRAPHY:
      return "CO2";
    case v1::MONITOR_SENSOR_TEMPERATURE_PROBE:
      return "Temp";
    case v1::MONITOR_SENSOR_NIBP_CUFF:
      return "Cuff";
    default:
      return "?";
  }
}

// The vital each waveform row belongs to: hiding it hides the row.
constexpr const char* kWaveVitals[kWaveCount] = {"heart_rate_bpm", "spo2_pct", "etco2_mmhg",
                                                 "respiratory_rate_bpm"};

constexpr v1::MonitorSensor kSensorKeys[] = {
    v1::MONITOR_SENSOR_ECG_LEADS, v1::MONITOR_SENSOR_SPO2_PROBE, v1::MONITOR_SENSOR_CAPNOGRAPHY,
    v1::MONITOR_SENSOR_TEMPERATURE_PROBE, v1::MONITOR_SENSOR_NIBP_CUFF};

// Automatic NIBP intervals offered, minutes (reference monitor.md §3:
// vendors offer 1 to 120 min; 0 = manual only).
constexpr int kNibpIntervalsMin[] = {0, 1, 2, 3, 5, 10, 15, 30, 60};

std::string Whole(double value) { return fmt::format("{:.0f}", value); }

std::string WallClock(std::time_t when) {
  std::tm local{};
  localtime_r(&when, &local);
  return fmt::format("{:02}:{:02}:{:02}", local.tm_hour, local.tm_min, local.tm_sec);
}

}  // namespace

MonitorApp::MonitorApp(MonitorModel& model, Reporter report, ToneSynth* synth)
    : model_(model), report_(std::move(report)), synth_(synth) {
  if (synth_ != nullptr) synth_->SetVolume(static_cast<double>(volume_step_) / kVolumeSteps);
}

void MonitorApp::LoadFonts(ImVec2 size) {
  unit_ = LayOut(size).unit;
  // Labels and messages: Latin. Numerics: digits and what numbers need,
  // so a 4K screen's large digits keep the font atlas small.
  static constexpr ImWchar kNumericGlyphs[] = {0x0020, 0x003A, 0};
  label_font_ = dashboard::AddFont("DejaVuSans-Bold.ttf", std::round(22 * unit_));
  numeric_font_ = dashboard::AddFont("DejaVuSans-Bold.ttf", std::round(84 * unit_), kNumericGlyphs);
  ImGui::GetIO().FontDefault = label_font_;
  ImGui::StyleColorsDark();
  ImGui::GetStyle().AntiAliasedLines = false;
  ImGui::GetStyle().AntiAliasedLinesUseTex = false;
}

double MonitorApp::AgeYears() const { return patient::AgeInYears(view_.session.patient()); }

bool MonitorApp::ReadyForScreenshot() const {
  if (!view_.joined || !view_.has_vitals || !Live()) return false;
  // A cascaded ECG is ready once its first row is full: the rows below
  // fill on as a real monitor's do.
  for (int row = 0; row < kWaveCount; ++row) {
    const Wave wave = static_cast<Wave>(row);
    if (SweepWindowS(wave) != kFastSweepWindowS || !view_.Attached(SensorOf(wave))) continue;
    if (view_.waves[row].seconds_shown() < 0.95 * SweepWindowS(wave)) return false;
  }
  return true;
}

void MonitorApp::Frame(double now_s) {
  now_s_ = now_s;
  model_.CopyInto(view_, Clock::now());
  // A copy: a change of rows below copies the model into view_ again, which
  // would free what a reference into view_.session points at.
  const v1::RoomDisplay display = view_.session.room_display();
  // The instructor's choice of rows for the room, else the monitor's own.
  const int wave_rows =
      display.has_wave_rows() ? static_cast<int>(display.wave_rows()) : wave_rows_;
  if (wave_rows != windows_rows_) {
    std::array<double, kWaveCount> windows{};
    for (int row = 0; row < kWaveCount; ++row) {
      windows[row] = SweepWindowS(static_cast<Wave>(row), wave_rows);
    }
    model_.SetWaveWindows(windows);
    windows_rows_ = wave_rows;
    model_.CopyInto(view_, Clock::now());
  }
  ApplyInstructorVolume(display);
  const bool blank = display.screen() == v1::ROOM_SCREEN_BLANK;
  // Frozen: the picture of the moment the instructor froze it, with the
  // link's state and the instructor's settings still live.
  if (display.screen() != v1::ROOM_SCREEN_FROZEN) {
    frozen_.reset();
  } else if (!frozen_) {
    frozen_ = view_;
  }
  UpdateAlarmsAndSound(now_s);
  const bool cuff_on = Live() && view_.Attached(v1::MONITOR_SENSOR_NIBP_CUFF);
  if (!cuff_on && nibp_.measuring()) nibp_.Cancel();
  if (cuff_on && nibp_.Update(now_s, view_.has_vitals ? &view_.vitals.vitals() : nullptr,
                              AgeYears()) == NibpMeasurement::Step::kAutoStarted) {
    v1::LearnerAction action;
    action.set_kind(v1::ACTION_KIND_NIBP_MEASUREMENT);
    action.set_note("automatic");
    report_(action);
  }

  const ImVec2 screen = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(screen);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, colors::kMonitorBackground);
  ImGui::Begin("monitor", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                   ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  text_.BeginFrame(draw);
  const MonitorLayout layout = LayOut(screen, wave_rows);
  if (blank) {
    // Nothing of the patient, and no keys: the room waits.
    text_.Place(label_font_, 40 * unit_, ImVec2(0, 0), screen, Align::kCenter, kDim,
                "Monitor paused by the instructor");
  } else {
    if (frozen_) {
      frozen_->link = view_.link;
      *frozen_->session.mutable_room_display() = display;
      std::swap(view_, *frozen_);
    }
    DrawStatusBar(draw, layout, now_s);
    for (const WaveRow& row : layout.rows) DrawWaveRow(draw, row, &row == &layout.rows[1]);
    DrawNumerics(draw, layout);
    DrawNibp(draw, layout, now_s);
    if (frozen_) {
      std::swap(view_, *frozen_);
      // The keys are for the live patient: none while frozen.
    } else {
      DrawKeys(draw, layout, now_s);
    }
  }
  audit_ = text_.EndFrame();
  ImGui::End();
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(2);
}

void MonitorApp::DrawStatusBar(ImDrawList* draw, const MonitorLayout& layout, double) {
  const Box& bar = layout.status_bar;
  draw->AddRectFilled(bar.min, bar.max, IM_COL32(20, 22, 28, 255));
  const float pad = 8 * unit_;
  const float third = bar.width() / 3;
  const float size = 22 * unit_;
  const v1::Patient& patient = view_.session.patient();
  std::string who = view_.joined ? patient.name() : "PediSim monitor";
  if (view_.joined && patient.has_weight_kg()) who += fmt::format("  {:g} kg", patient.weight_kg());
  text_.Place(label_font_, size, ImVec2(pad, bar.min.y), ImVec2(third - pad, bar.max.y),
              Align::kLeft, kText, who);
  std::string status;
  ImU32 status_color = kText;
  switch (view_.link) {
    case LinkState::kConnecting:
      status = "CONNECTING";
      status_color = kTechnical;
      break;
    case LinkState::kNoData:
      // A session that ended closes the devices' links: that is no fault.
      status = view_.session_ended ? "SESSION ENDED" : "NO DATA";
      status_color = kNoData;
      draw->AddRectFilled(ImVec2(third, bar.min.y), ImVec2(2 * third, bar.max.y), kTechnical);
      break;
    case LinkState::kLive:
      if (view_.session_ended) status = "SESSION ENDED";
      break;
  }
  if (status.empty() && frozen_) status = "FROZEN BY THE INSTRUCTOR";
  if (status.empty() && !alarms_.empty()) {
    // The worst alarm, and how many more.
    const Alarm& worst = alarms_.front();
    status = worst.text;
    if (alarms_.size() > 1) status += fmt::format("  +{}", alarms_.size() - 1);
    if (AlarmLit(worst, now_s_)) {
      draw->AddRectFilled(ImVec2(third, bar.min.y), ImVec2(2 * third, bar.max.y),
                          AlarmColor(worst));
      status_color = worst.priority == AlarmPriority::kHigh ? kNoData : IM_COL32(0, 0, 0, 255);
    } else {
      status_color = AlarmColor(worst);
    }
  }
  if (!status.empty()) {
    text_.Place(label_font_, size, ImVec2(third + pad, bar.min.y),
                ImVec2(2 * third - pad, bar.max.y), Align::kCenter, status_color, status);
  }
  std::string right = WallClock(std::time(nullptr));
  if (silencer_.AudioPaused(now_s_)) {
    const int left = static_cast<int>(std::ceil(silencer_.PauseLeftS(now_s_)));
    right = fmt::format("AUDIO PAUSED {}:{:02}   ", left / 60, left % 60) + right;
  } else if (volume_step_ == 0) {
    right = "ALARMS MUTED   " + right;
  }
  text_.Place(label_font_, size, ImVec2(2 * third + pad, bar.min.y),
              ImVec2(bar.max.x - pad, bar.max.y), Align::kRight,
              silencer_.AudioPaused(now_s_) || volume_step_ == 0 ? kAlarmMedium : kText, right);
}

void MonitorApp::DrawWaveRow(ImDrawList* draw, const WaveRow& wave_row, bool says_no_data) {
  const Wave wave = wave_row.wave;
  const int row = static_cast<int>(wave);
  const Box& box = wave_row.box;
  const WaveStyle& style = kWaveStyles[row];
  const v1::MonitorSensor sensor = SensorOf(wave);
  const bool attached = view_.Attached(sensor) && !Hidden(kWaveVitals[row]);
  const bool continued = wave_row.part > 0;  // a cascaded ECG's second or third row
  const float label_h = 24 * unit_;
  const float pad = 6 * unit_;
  if (!continued) {
    text_.Place(label_font_, 20 * unit_, ImVec2(box.min.x + pad, box.min.y),
                ImVec2(box.min.x + box.width() * 0.2f, box.min.y + label_h), Align::kLeft,
                attached ? style.color : kDim, style.label);
  }
  if (wave == Wave::kEcg && !continued && attached && Live() &&
      view_.vitals.vitals().has_rhythm()) {
    std::string rhythm = v1::Rhythm_Name(view_.vitals.vitals().rhythm());
    if (rhythm.rfind("RHYTHM_", 0) == 0) rhythm = rhythm.substr(7);
    for (char& c : rhythm) c = c == '_' ? ' ' : c;
    text_.Place(label_font_, 16 * unit_, ImVec2(box.min.x + box.width() * 0.2f, box.min.y),
                ImVec2(box.min.x + box.width() * 0.6f, box.min.y + label_h), Align::kLeft,
                style.color, rhythm);
  }
  const Box trace{ImVec2(box.min.x, box.min.y + label_h), box.max};
  if (view_.link == LinkState::kNoData) {
    if (says_no_data) {
      text_.Place(
          label_font_, 40 * unit_, trace.min, trace.max, Align::kCenter, kNoData,
          view_.session_ended ? "SESSION ENDED" : "NO DATA - no signal from the controller");
    }
    return;
  }
  if (!attached) {
    if (continued) return;  // the first row says what is missing
    text_.Place(label_font_, 18 * unit_, trace.min, trace.max, Align::kCenter, kTechnical,
                std::string(style.sensor_off) + " - touch to attach");
    ImGui::SetCursorScreenPos(box.min);
    if (ImGui::InvisibleButton(style.label, ImVec2(box.width(), box.height())) && Live()) {
      ToggleSensor(sensor);
    }
    return;
  }
  if (!Live()) return;
  const dashboard::TraceSpan span{static_cast<double>(wave_row.part) / wave_row.parts,
                                  static_cast<double>(wave_row.part + 1) / wave_row.parts};
  dashboard::DrawSweepTrace(draw, trace.min, trace.max, view_.waves[row], style.color, style.scale,
                            std::max(2.0f, std::round(2 * unit_)), span);
}

void MonitorApp::DrawNumericBox(ImDrawList* draw, const Box& box, const char* label,
                                const char* unit, const char* field, ImU32 color, bool shown,
                                const std::string& value, const std::string& detail) {
  const Alarm* alarm = nullptr;
  for (const Alarm& candidate : alarms_) {
    if (!candidate.field.empty() && candidate.field == field) {
      alarm = &candidate;
      break;
    }
  }
  if (alarm != nullptr && shown) {
    const bool lit = AlarmLit(*alarm, now_s_);
    if (lit) draw->AddRectFilled(box.min, box.max, AlarmColor(*alarm));
    draw->AddRect(box.min, box.max, AlarmColor(*alarm), 0, 0, std::max(2.0f, 3 * unit_));
    if (lit) color = alarm->priority == AlarmPriority::kHigh ? kNoData : IM_COL32(0, 0, 0, 255);
  } else {
    draw->AddRect(box.min, box.max, colors::kGrid);
  }
  const float pad = 6 * unit_;
  const float line = 24 * unit_;
  const ImU32 label_color = shown ? color : kDim;
  const float left_w = std::min(box.width() * 0.3f, 90 * unit_);
  text_.Place(label_font_, 20 * unit_, ImVec2(box.min.x + pad, box.min.y + pad / 2),
              ImVec2(box.min.x + left_w, box.min.y + pad / 2 + line), Align::kLeft, label_color,
              label);
  text_.Place(label_font_, 15 * unit_, ImVec2(box.min.x + pad, box.min.y + pad / 2 + line),
              ImVec2(box.min.x + left_w, box.min.y + pad / 2 + 2 * line), Align::kLeft, label_color,
              unit);
  if (!shown) return;
  float value_bottom = box.max.y - pad / 2;
  if (!detail.empty()) {
    text_.Place(label_font_, 16 * unit_, ImVec2(box.min.x + pad, box.max.y - line - pad / 2),
                ImVec2(box.min.x + left_w, box.max.y - pad / 2), Align::kLeft, color, detail);
  }
  text_.Place(numeric_font_, numeric_font_->FontSize,
              ImVec2(box.min.x + left_w + pad, box.min.y + pad / 2),
              ImVec2(box.max.x - pad, value_bottom), Align::kRight, color, value);
}

void MonitorApp::DrawNumerics(ImDrawList* draw, const MonitorLayout& layout) {
  const v1::Vitals& vitals = view_.vitals.vitals();
  const bool live = Live() && view_.has_vitals;
  auto text = [&](bool has, double value) { return has ? Whole(value) : std::string("--"); };

  const bool ecg = view_.Attached(v1::MONITOR_SENSOR_ECG_LEADS);
  const bool spo2 = view_.Attached(v1::MONITOR_SENSOR_SPO2_PROBE);
  const bool co2 = view_.Attached(v1::MONITOR_SENSOR_CAPNOGRAPHY);
  const bool hr_shown = ecg && !Hidden("heart_rate_bpm");
  const bool spo2_shown = spo2 && !Hidden("spo2_pct");
  const bool co2_shown = co2 && !Hidden("etco2_mmhg");
  const bool rr_shown = ecg && !Hidden("respiratory_rate_bpm");
  DrawNumericBox(draw, layout.numerics[0], "HR", "bpm", "heart_rate_bpm", colors::kHeartRate,
                 live && hr_shown, text(vitals.has_heart_rate_bpm(), vitals.heart_rate_bpm()), "");
  // Pulse rate comes from the oximeter's pleth.
  DrawNumericBox(draw, layout.numerics[1], "SpO2", "%", "spo2_pct", colors::kSpo2,
                 live && spo2_shown, text(vitals.has_spo2_pct(), vitals.spo2_pct()),
                 "PR " + text(vitals.has_heart_rate_bpm(), vitals.heart_rate_bpm()));
  DrawNumericBox(draw, layout.numerics[2], "EtCO2", "mmHg", "etco2_mmhg", colors::kCo2,
                 live && co2_shown, text(vitals.has_etco2_mmhg(), vitals.etco2_mmhg()),
                 "awRR " + text(vitals.has_respiratory_rate_bpm(), vitals.respiratory_rate_bpm()));
  DrawNumericBox(draw, layout.numerics[3], "RR", "/min", "respiratory_rate_bpm",
                 colors::kRespiration, live && rr_shown,
                 text(vitals.has_respiratory_rate_bpm(), vitals.respiratory_rate_bpm()), "");
  const bool temp =
      view_.Attached(v1::MONITOR_SENSOR_TEMPERATURE_PROBE) && !Hidden("temperature_c");
  DrawNumericBox(draw, layout.temperature, "Temp",
                 "\xC2\xB0"
                 "C",
                 "temperature_c", colors::kTemperature, live && temp,
                 vitals.has_temperature_c() ? fmt::format("{:.1f}", vitals.temperature_c()) : "--",
                 "");
}

void MonitorApp::DrawNibp(ImDrawList* draw, const MonitorLayout& layout, double now_s) {
  const Box& box = layout.nibp;
  const bool cuff = view_.Attached(v1::MONITOR_SENSOR_NIBP_CUFF);
  const bool shown = Live() && cuff && !Hidden("nibp_systolic_mmhg");
  std::string value = "---/---";
  std::string detail;
  if (nibp_.measuring()) {
    detail = fmt::format("cuff {:.0f}", nibp_.CuffPressureMmhg(now_s));
  } else if (nibp_.failed()) {
    detail = "no reading";
  }
  if (const std::optional<NibpReading>& reading = nibp_.reading(); reading && !nibp_.measuring()) {
    value = fmt::format("{:.0f}/{:.0f} ({:.0f})", reading->systolic_mmhg, reading->diastolic_mmhg,
                        reading->mean_mmhg);
    const std::time_t taken =
        std::time(nullptr) - static_cast<std::time_t>(std::lround(now_s - reading->taken_at_s));
    detail = "at " + WallClock(taken).substr(0, 5);
  }
  if (const std::optional<double> next = nibp_.NextInS(now_s); next && !nibp_.measuring()) {
    detail += fmt::format("{}next {}:{:02}", detail.empty() ? "" : "  ",
                          static_cast<int>(*next) / 60, static_cast<int>(*next) % 60);
  }
  DrawNumericBox(draw, box, "NIBP", "mmHg", "nibp_systolic_mmhg", colors::kBloodPressure, shown,
                 value, detail);
}

bool MonitorApp::Key(ImDrawList* draw, const Box& box, const char* id, const std::string& text,
                     bool lit, bool enabled) {
  draw->AddRectFilled(box.min, box.max, lit ? kKeyLit : kKeyFill);
  text_.Place(label_font_, 19 * unit_, ImVec2(box.min.x + 4 * unit_, box.min.y),
              ImVec2(box.max.x - 4 * unit_, box.max.y), Align::kCenter, enabled ? kText : kDim,
              text);
  ImGui::SetCursorScreenPos(box.min);
  return ImGui::InvisibleButton(id, ImVec2(box.width(), box.height())) && enabled;
}

void MonitorApp::DrawKeys(ImDrawList* draw, const MonitorLayout& layout, double now_s) {
  const bool live = Live();
  const bool cuff = view_.Attached(v1::MONITOR_SENSOR_NIBP_CUFF);
  int key = 0;
  for (v1::MonitorSensor sensor : kSensorKeys) {
    const bool attached = view_.Attached(sensor);
    if (Key(draw, layout.keys[key++], SensorKeyName(sensor),
            std::string(SensorKeyName(sensor)) + (attached ? " on" : " off"), attached, live)) {
      ToggleSensor(sensor);
    }
  }
  if (Key(draw, layout.keys[key++], "nibp", nibp_.measuring() ? "NIBP stop" : "NIBP start",
          nibp_.measuring(), live && cuff)) {
    Press("nibp");
  }
  const int interval_min = static_cast<int>(std::lround(nibp_.interval_s() / 60));
  const std::string auto_text =
      interval_min == 0 ? std::string("Auto off") : fmt::format("Auto {} min", interval_min);
  if (Key(draw, layout.keys[key++], "auto", auto_text, interval_min > 0, live && cuff)) {
    Press("auto");
  }
  if (Key(draw, layout.keys[key++], "ack", "Alarm ack", false, !alarms_.empty())) Press("ack");
  if (Key(draw, layout.keys[key++], "pause",
          silencer_.AudioPaused(now_s) ? "Audio on" : "Audio pause",
          silencer_.AudioPaused(now_s))) {
    Press("pause");
  }
  if (Key(draw, layout.keys[key++], "volume",
          volume_step_ == 0 ? std::string("Muted") : fmt::format("Volume {}", volume_step_),
          volume_step_ == 0)) {
    Press("volume");
  }
}

bool MonitorApp::Press(const std::string& key) {
  const bool live = Live();
  for (v1::MonitorSensor sensor : kSensorKeys) {
    std::string name = SensorKeyName(sensor);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key != name) continue;
    if (!live) return false;
    ToggleSensor(sensor);
    return true;
  }
  const bool cuff = live && view_.Attached(v1::MONITOR_SENSOR_NIBP_CUFF);
  if (key == "nibp") {
    if (!cuff) return false;
    if (nibp_.measuring()) {
      nibp_.Cancel();
      // Told, so that what follows the measurements (the HL7 gateway, the
      // debrief) knows no reading comes of it.
      v1::LearnerAction action;
      action.set_kind(v1::ACTION_KIND_NIBP_CANCELLED);
      report_(action);
    } else if (nibp_.Start(now_s_, AgeYears())) {
      v1::LearnerAction action;
      action.set_kind(v1::ACTION_KIND_NIBP_MEASUREMENT);
      report_(action);
    }
    return true;
  }
  if (key == "auto") {
    if (!cuff) return false;
    // Each press offers the next interval.
    const int interval_min = static_cast<int>(std::lround(nibp_.interval_s() / 60));
    size_t next = 0;
    for (size_t i = 0; i < std::size(kNibpIntervalsMin); ++i) {
      if (kNibpIntervalsMin[i] == interval_min) next = (i + 1) % std::size(kNibpIntervalsMin);
    }
    nibp_.SetIntervalS(kNibpIntervalsMin[next] * 60.0, now_s_);
    return true;
  }
  if (key == "ack") {
    const std::string names = silencer_.Acknowledge();
    if (names.empty()) return false;
    v1::LearnerAction action;
    action.set_kind(v1::ACTION_KIND_ALARM_ACKNOWLEDGED);
    action.set_alarm(names);
    report_(action);
    if (synth_ != nullptr) synth_->SetAlarm(silencer_.Sounding(now_s_));
    return true;
  }
  if (key == "pause") {
    const bool resuming = silencer_.AudioPaused(now_s_);
    const std::string names = silencer_.ToggleAudioPause(now_s_);
    if (!resuming) {
      v1::LearnerAction action;
      action.set_kind(v1::ACTION_KIND_ALARM_AUDIO_PAUSED);
      action.set_alarm(names);
      report_(action);
    }
    if (synth_ != nullptr) synth_->SetAlarm(silencer_.Sounding(now_s_));
    return true;
  }
  if (key == "volume") {
    // Down a step each press; from mute back to the loudest.
    volume_step_ = volume_step_ == 0 ? kVolumeSteps : volume_step_ - 1;
    if (synth_ != nullptr) {
      synth_->SetMuted(volume_step_ == 0);
      if (volume_step_ > 0) synth_->SetVolume(static_cast<double>(volume_step_) / kVolumeSteps);
    }
    return true;
  }
  return false;
}

void MonitorApp::UpdateAlarmsAndSound(double now_s) {
  const v1::RoomDisplay& display = view_.session.room_display();
  // Blank or frozen: the room is not watching the patient; no alarms.
  const bool live = Live() && view_.has_vitals && !view_.session_ended &&
                    display.screen() != v1::ROOM_SCREEN_BLANK &&
                    display.screen() != v1::ROOM_SCREEN_FROZEN;
  // The instructor's limits in place of the age band's for what they name.
  google::protobuf::RepeatedPtrField<v1::VitalRange> limits;
  for (const v1::VitalRange& range : view_.session.age_band().alarm_limits()) {
    const bool replaced =
        std::any_of(display.alarm_limits().begin(), display.alarm_limits().end(),
                    [&](const v1::VitalRange& mine) { return mine.vital() == range.vital(); });
    if (!replaced) *limits.Add() = range;
  }
  for (const v1::VitalRange& range : display.alarm_limits()) *limits.Add() = range;
  std::set<v1::MonitorSensor> lost;
  for (v1::MonitorSensor sensor : view_.attached) ever_attached_.insert(sensor);
  for (v1::MonitorSensor sensor : ever_attached_) {
    if (!view_.Attached(sensor)) lost.insert(sensor);
  }
  alarms_ = live ? EvaluateAlarms(view_.vitals.vitals(), limits, view_.attached, lost)
                 : std::vector<Alarm>{};
  // A hidden parameter does not alarm: the sound would tell its value.
  std::erase_if(alarms_, [&](const Alarm& alarm) { return Hidden(alarm.field); });
  silencer_.Update(alarms_, now_s);
  if (synth_ == nullptr) return;
  synth_->SetAlarm(silencer_.Sounding(now_s));
  // One beep per pulse found since the last frame (at most one a frame:
  // a frame is shorter than any heartbeat), at the saturation's pitch.
  if (view_.pulses != pulses_heard_) {
    const bool probe = live && view_.Attached(v1::MONITOR_SENSOR_SPO2_PROBE) && !Hidden("spo2_pct");
    if (probe && view_.vitals.vitals().has_spo2_pct() && pulses_heard_ != 0) {
      synth_->Beep(view_.vitals.vitals().spo2_pct());
    }
    pulses_heard_ = view_.pulses;
  }
}

bool MonitorApp::Hidden(const std::string& field) const {
  if (field.empty()) return false;
  const auto& hidden = view_.session.room_display().hidden_vitals();
  return std::find(hidden.begin(), hidden.end(), field) != hidden.end();
}

void MonitorApp::ApplyInstructorVolume(const v1::RoomDisplay& display) {
  const std::optional<uint32_t> wanted =
      display.has_volume_pct() ? std::optional<uint32_t>(display.volume_pct()) : std::nullopt;
  if (wanted == instructor_volume_) return;
  instructor_volume_ = wanted;
  // Unset hands the volume back to the monitor's key, as it is now.
  if (!wanted) return;
  volume_step_ = static_cast<int>(std::lround(*wanted / 100.0 * kVolumeSteps));
  if (*wanted > 0) volume_step_ = std::max(volume_step_, 1);
  if (synth_ != nullptr) {
    synth_->SetMuted(*wanted == 0);
    if (*wanted > 0) synth_->SetVolume(*wanted / 100.0);
  }
}

bool MonitorApp::AlarmLit(const Alarm& alarm, double now_s) const {
  // Acknowledged alarms stay lit without flashing; low priority is steady.
  if (silencer_.Acknowledged(alarm.id) || alarm.priority == AlarmPriority::kLow) return true;
  const double hz = alarm.priority == AlarmPriority::kHigh ? kHighFlashHz : kMediumFlashHz;
  return std::fmod(now_s * hz, 1.0) < 0.5;
}

void MonitorApp::ToggleSensor(v1::MonitorSensor sensor) {
  v1::LearnerAction action;
  action.set_kind(view_.Attached(sensor) ? v1::ACTION_KIND_SENSOR_REMOVED
                                         : v1::ACTION_KIND_SENSOR_ATTACHED);
  action.set_sensor(sensor);
  report_(action);
}

}  // namespace pedisim::monitor
