#include "views/monitor_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "views/trace_drawing.h"
#include "views/vital_info.h"

namespace pedisim::dashboard {
namespace {

struct TraceStyle {
  const char* label;
  ImU32 color;
  double mm_per_s;
  // Fixed vertical scale; the ECG widens it to fit what it shows.
  float low;
  float high;
};

constexpr TraceStyle kTraceStyles[kTraceCount] = {
    {"II", colors::kHeartRate, kEcgSweepMmPerS, -0.6f, 1.4f},
    {"Pleth", colors::kSpo2, kEcgSweepMmPerS, -0.05f, 1.05f},
    {"CO2", colors::kCo2, kSlowSweepMmPerS, -2.0f, 60.0f},
    {"Resp", colors::kRespiration, kSlowSweepMmPerS, -0.05f, 1.05f},
};

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list, const char* name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

void DrawTrace(ImDrawList* draw, ImVec2 min, ImVec2 max, const SweepBuffer& trace,
               const TraceStyle& style, const Fonts& fonts) {
  draw->AddText(fonts.small, fonts.small->FontSize, ImVec2(min.x + 4, min.y + 2), style.color,
                style.label);
  const float baseline = max.y - (0 - style.low) / (style.high - style.low) * (max.y - min.y);
  if (baseline > min.y && baseline < max.y) {
    draw->AddLine(ImVec2(min.x, baseline), ImVec2(max.x, baseline), colors::kGrid);
  }
  DrawSweepTrace(draw, min, max, trace, style.color,
                 {.low = style.low, .high = style.high, .widen_to_fit = &style == &kTraceStyles[0]},
                 2.0f);
}

std::string ValueText(const v1::Vitals& vitals, const char* field, int decimals) {
  const std::optional<double> value = GetVital(vitals, field);
  if (!value) return "--";
  return fmt::format("{:.{}f}", *value, decimals);
}

std::string LimitsText(const v1::Session& session, const char* field) {
  for (const v1::VitalRange& range : session.age_band().alarm_limits()) {
    if (range.vital() == field) return fmt::format("{:g}\n{:g}", range.high(), range.low());
  }
  return "";
}

struct NumericBox {
  const char* label;
  const char* unit;
  ImU32 color;
  std::string value;
  std::string limits;
  // The Vitals fields behind it (NIBP shows three).
  std::vector<const char*> fields;
  ImFont* font;
};

void DrawNumeric(const ViewContext& context, ImVec2 min, ImVec2 max, const NumericBox& box) {
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const v1::VitalsSample& sample = context.view.vitals;
  AlarmLook look = AlarmLook::kNone;
  bool overridden = false;
  for (const char* field : box.fields) {
    look = std::max(look, context.alarms.Look(field, context.now_s));
    overridden = overridden || Contains(sample.overridden(), field);
  }
  const bool flash_on = std::fmod(context.now_s, 1.0) < 0.5;
  if (look == AlarmLook::kFlashing && flash_on) draw->AddRectFilled(min, max, colors::kAlarmFill);
  if (look != AlarmLook::kNone)
    draw->AddRect(min, max, colors::kAlarmBorder, 0, 0, 3.0f);
  else
    draw->AddRect(min, max, colors::kGrid);

  const Fonts& fonts = context.fonts;
  draw->AddText(fonts.bold, fonts.bold->FontSize, ImVec2(min.x + 6, min.y + 4), box.color,
                box.label);
  draw->AddText(fonts.small, fonts.small->FontSize,
                ImVec2(min.x + 6, min.y + 6 + fonts.bold->FontSize), box.color, box.unit);
  if (overridden) {
    draw->AddText(fonts.small, fonts.small->FontSize,
                  ImVec2(min.x + 6, max.y - fonts.small->FontSize - 4), colors::kWarn, "HELD");
  }
  if (!box.limits.empty()) {
    const ImVec2 size =
        fonts.small->CalcTextSizeA(fonts.small->FontSize, 1e9f, 0, box.limits.c_str());
    draw->AddText(fonts.small, fonts.small->FontSize, ImVec2(max.x - size.x - 6, min.y + 4),
                  colors::kMuted, box.limits.c_str());
  }
  const ImVec2 value_size = box.font->CalcTextSizeA(box.font->FontSize, 1e9f, 0, box.value.c_str());
  const ImU32 value_color =
      look == AlarmLook::kFlashing && flash_on ? IM_COL32(255, 255, 255, 255) : box.color;
  draw->AddText(box.font, box.font->FontSize,
                ImVec2(max.x - value_size.x - 10, (min.y + max.y - value_size.y) / 2 + 6),
                value_color, box.value.c_str());

  // Hovering answers "why is it like this?" with the event that set it moving.
  ImGui::SetCursorScreenPos(min);
  ImGui::InvisibleButton(box.label, ImVec2(max.x - min.x, max.y - min.y));
  if (ImGui::IsItemHovered()) {
    std::string why;
    for (const v1::VitalCause& cause : sample.causes()) {
      if (std::find_if(box.fields.begin(), box.fields.end(),
                       [&](const char* f) { return cause.vital() == f; }) == box.fields.end()) {
        continue;
      }
      const v1::Event* event = FindEvent(context.view.events, cause.event_id());
      why += fmt::format("{}: #{} {}\n", cause.vital(), cause.event_id(),
                         event ? event->summary() : "");
    }
    ImGui::SetTooltip("%s", why.empty() ? "no recorded cause yet" : why.c_str());
  }
}

void DrawAlarmBar(const ViewContext& context, float width) {
  AlarmTracker& alarms = context.alarms;
  const v1::VitalsSample& sample = context.view.vitals;
  std::string text;
  for (const std::string& field : sample.alarming()) {
    const VitalInfo* info = FindVital(field);
    text += fmt::format("{}{}", text.empty() ? "" : "  ", info ? info->label : field.c_str());
  }
  const bool flashing = alarms.AnyUnacknowledged() && !alarms.Silenced(context.now_s);
  const bool flash_on = std::fmod(context.now_s, 1.0) < 0.5;
  ImGui::PushFont(context.fonts.bold);
  if (text.empty()) {
    ImGui::TextColored(ToVec4(colors::kMuted), "No alarms");
  } else {
    ImGui::TextColored(ToVec4(flashing && flash_on ? colors::kAlarmBorder : colors::kWarn),
                       "ALARM  %s", text.c_str());
  }
  ImGui::PopFont();
  ImGui::SameLine(std::max(200.0f, width - 330));
  if (ImGui::SmallButton("Acknowledge") || ShortcutPressed(SDL_SCANCODE_A)) alarms.Acknowledge();
  HelpTooltip("Acknowledge the alarms: they stop flashing and stay lit while out of limits [A]");
  ImGui::SameLine();
  if (alarms.Silenced(context.now_s)) {
    ImGui::TextColored(ToVec4(colors::kWarn), "silenced %s",
                       ClockText(alarms.SilenceLeft(context.now_s)).c_str());
  } else if (ImGui::SmallButton("Silence 2 min") || ShortcutPressed(SDL_SCANCODE_M)) {
    alarms.Silence(context.now_s);
  }
  HelpTooltip("Pause the alarm flashing for two minutes [M]");
}

}  // namespace

double SweepWindowS(float width_px, double mm_per_s) {
  const double seconds = width_px / (mm_per_s * kPixelsPerMm);
  return std::max(1.0, std::round(seconds * 2) / 2);
}

std::array<double, kTraceCount> DrawMonitor(const ViewContext& context) {
  const SessionView& view = context.view;
  context.alarms.Update({view.vitals.alarming().begin(), view.vitals.alarming().end()});
  DrawAlarmBar(context, ImGui::GetContentRegionAvail().x);

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float numerics_width = std::clamp(avail.x * 0.28f, 170.0f, 320.0f);
  const float trace_width = std::max(50.0f, avail.x - numerics_width - 6);
  const float strip_height = std::clamp(avail.y * 0.2f, 60.0f, 120.0f);
  const float row_height = (avail.y - strip_height) / kTraceCount;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(origin, ImVec2(origin.x + avail.x, origin.y + avail.y),
                      colors::kMonitorBackground);

  const v1::Vitals& vitals = view.vitals.vitals();
  const v1::Session& session = view.session;
  const Fonts& fonts = context.fonts;
  const NumericBox row_boxes[kTraceCount] = {
      {"HR",
       "bpm",
       colors::kHeartRate,
       ValueText(vitals, "heart_rate_bpm", 0),
       LimitsText(session, "heart_rate_bpm"),
       {"heart_rate_bpm"},
       fonts.numeric_large},
      {"SpO2",
       "%",
       colors::kSpo2,
       ValueText(vitals, "spo2_pct", 0),
       LimitsText(session, "spo2_pct"),
       {"spo2_pct"},
       fonts.numeric_large},
      {"EtCO2",
       "mmHg",
       colors::kCo2,
       ValueText(vitals, "etco2_mmhg", 0),
       LimitsText(session, "etco2_mmhg"),
       {"etco2_mmhg"},
       fonts.numeric_large},
      {"RR",
       "/min",
       colors::kRespiration,
       ValueText(vitals, "respiratory_rate_bpm", 0),
       LimitsText(session, "respiratory_rate_bpm"),
       {"respiratory_rate_bpm"},
       fonts.numeric_large},
  };
  std::array<double, kTraceCount> windows{};
  for (int row = 0; row < kTraceCount; ++row) {
    const float top = origin.y + row_height * static_cast<float>(row);
    const ImVec2 trace_min(origin.x, top);
    const ImVec2 trace_max(origin.x + trace_width, top + row_height);
    DrawTrace(draw, trace_min, trace_max, view.traces[row], kTraceStyles[row], fonts);
    windows[row] = SweepWindowS(trace_width, kTraceStyles[row].mm_per_s);
    DrawNumeric(context, ImVec2(origin.x + trace_width + 6, top + 2),
                ImVec2(origin.x + avail.x - 2, top + row_height - 2), row_boxes[row]);
  }
  if (view.vitals.vitals().has_rhythm()) {
    draw->AddText(fonts.small, fonts.small->FontSize, ImVec2(origin.x + 40, origin.y + 2),
                  colors::kHeartRate, RhythmName(view.vitals.vitals().rhythm()).c_str());
  }

  const float strip_top = origin.y + row_height * kTraceCount;
  const float nibp_width = (avail.x - 6) * 0.62f;
  const std::string nibp = fmt::format("{}/{} ({})", ValueText(vitals, "nibp_systolic_mmhg", 0),
                                       ValueText(vitals, "nibp_diastolic_mmhg", 0),
                                       ValueText(vitals, "nibp_mean_mmhg", 0));
  DrawNumeric(context, ImVec2(origin.x + 2, strip_top + 2),
              ImVec2(origin.x + nibp_width, origin.y + avail.y - 2),
              {"NIBP",
               "mmHg",
               colors::kBloodPressure,
               nibp,
               LimitsText(session, "nibp_systolic_mmhg"),
               {"nibp_systolic_mmhg", "nibp_diastolic_mmhg", "nibp_mean_mmhg"},
               fonts.numeric_medium});
  DrawNumeric(context, ImVec2(origin.x + nibp_width + 6, strip_top + 2),
              ImVec2(origin.x + avail.x - 2, origin.y + avail.y - 2),
              {"Temp",
               "\xC2\xB0"
               "C",
               colors::kTemperature,
               ValueText(vitals, "temperature_c", 1),
               LimitsText(session, "temperature_c"),
               {"temperature_c"},
               fonts.numeric_medium});
  return windows;
}

}  // namespace pedisim::dashboard
