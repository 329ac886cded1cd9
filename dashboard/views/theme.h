// Colours and fonts. Vital colours follow patient monitor conventions
// (HR and ECG green, SpO2 and pleth cyan, blood pressure red, CO2 yellow)
// on black, for contrast from across the room.
#pragma once

#include <imgui.h>

#include <string>

namespace pedisim::dashboard {

namespace colors {
inline constexpr ImU32 kHeartRate = IM_COL32(0, 230, 64, 255);
inline constexpr ImU32 kSpo2 = IM_COL32(0, 220, 255, 255);
inline constexpr ImU32 kBloodPressure = IM_COL32(255, 70, 70, 255);
inline constexpr ImU32 kCo2 = IM_COL32(255, 230, 0, 255);
inline constexpr ImU32 kRespiration = IM_COL32(235, 235, 235, 255);
inline constexpr ImU32 kTemperature = IM_COL32(255, 150, 255, 255);
inline constexpr ImU32 kMonitorBackground = IM_COL32(0, 0, 0, 255);
inline constexpr ImU32 kGrid = IM_COL32(40, 40, 40, 255);
inline constexpr ImU32 kAlarmFill = IM_COL32(200, 0, 0, 255);
inline constexpr ImU32 kAlarmBorder = IM_COL32(255, 40, 40, 255);
// The scenario graph's current state: a colour no vital uses.
inline constexpr ImU32 kCurrentState = IM_COL32(255, 140, 0, 255);
inline constexpr ImU32 kVisitedState = IM_COL32(90, 110, 150, 255);
inline constexpr ImU32 kOtherState = IM_COL32(60, 60, 70, 255);
inline constexpr ImU32 kStateText = IM_COL32(240, 240, 240, 255);
inline constexpr ImU32 kEdge = IM_COL32(120, 120, 130, 255);
inline constexpr ImU32 kBookmark = IM_COL32(80, 160, 255, 255);
inline constexpr ImU32 kGood = IM_COL32(60, 200, 90, 255);
inline constexpr ImU32 kWarn = IM_COL32(240, 190, 40, 255);
inline constexpr ImU32 kBad = IM_COL32(235, 60, 60, 255);
inline constexpr ImU32 kMuted = IM_COL32(150, 150, 160, 255);
}  // namespace colors

struct Fonts {
  ImFont* regular = nullptr;
  ImFont* small = nullptr;
  ImFont* bold = nullptr;
  // Monitor numerics.
  ImFont* numeric_large = nullptr;
  ImFont* numeric_medium = nullptr;
};

// Adds the fonts to ImGui's atlas (DejaVu from fonts-dejavu-core, or ImGui's
// own font when it is missing) scaled by `scale`, and applies the style.
Fonts LoadFontsAndStyle(float scale);

ImVec4 ToVec4(ImU32 color);

// Adds one font to ImGui's atlas: `file` from fonts-dejavu-core
// ("DejaVuSans-Bold.ttf"), or ImGui's own font when it is missing; `glyphs`
// null = Latin-1.
ImFont* AddFont(const char* file, float size, const ImWchar* glyphs = nullptr);

}  // namespace pedisim::dashboard
