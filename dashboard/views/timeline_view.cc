#include "views/timeline_view.h"

#include <algorithm>
#include <vector>

#include "views/vital_info.h"

namespace pedisim::dashboard {
namespace {

struct TrendStyle {
  const char* field;
  double low;
  double high;
};

// Plot ranges that keep a child's normal values mid-plot.
constexpr TrendStyle kTrends[] = {
    {"heart_rate_bpm", 0, 240},       {"spo2_pct", 50, 100},
    {"nibp_systolic_mmhg", 0, 180},   {"etco2_mmhg", 0, 100},
    {"respiratory_rate_bpm", 0, 100},
};

constexpr ImU32 kBandFills[] = {IM_COL32(30, 40, 60, 255), IM_COL32(45, 35, 55, 255),
                                IM_COL32(30, 50, 45, 255), IM_COL32(55, 45, 30, 255)};

float XOf(double sim_time_s, ImVec2 min, ImVec2 max, double duration_s) {
  return min.x +
         static_cast<float>(std::clamp(sim_time_s / duration_s, 0.0, 1.0)) * (max.x - min.x);
}

void DrawTrends(ImDrawList* draw, const RecordingTimeline& timeline, ImVec2 min, ImVec2 max) {
  const double duration = std::max(1.0, timeline.duration_s());
  std::vector<ImVec2> points;
  for (const TrendStyle& style : kTrends) {
    const VitalInfo* info = FindVital(style.field);
    points.clear();
    for (const TrendPoint& point : timeline.trend()) {
      const std::optional<double> value = GetVital(point.vitals, style.field);
      if (!value) continue;
      const double fraction = std::clamp((*value - style.low) / (style.high - style.low), 0.0, 1.0);
      const ImVec2 at(XOf(point.sim_time_s, min, max, duration),
                      max.y - static_cast<float>(fraction) * (max.y - min.y));
      if (!points.empty() && at.x - points.back().x < 1.0f) continue;  // one point per pixel
      points.push_back(at);
    }
    if (points.size() >= 2) {
      draw->AddPolyline(points.data(), static_cast<int>(points.size()), info->color, 0, 2.0f);
    }
  }
}

}  // namespace

std::optional<double> DrawTimeline(const RecordingTimeline& timeline, double playhead_s,
                                   const Fonts& fonts) {
  std::optional<double> seek;
  // Legend.
  for (const TrendStyle& style : kTrends) {
    const VitalInfo* info = FindVital(style.field);
    ImGui::TextColored(ToVec4(info->color), "%s", info->label);
    ImGui::SameLine();
  }
  ImGui::TextColored(ToVec4(colors::kBookmark), "| bookmarks");
  ImGui::SameLine();
  ImGui::TextColored(ToVec4(colors::kMuted), "| events   (click or drag to scrub)");

  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float band_height = fonts.small->FontSize + 8;
  const float marker_height = 26;
  const double duration = std::max(1.0, timeline.duration_s());
  const ImVec2 plot_min(origin.x, origin.y + band_height);
  const ImVec2 plot_max(origin.x + avail.x, origin.y + avail.y - marker_height);

  // State bands behind the trends, named along the top.
  int band_index = 0;
  for (const StateBand& band : timeline.bands()) {
    const float left = XOf(band.from_s, plot_min, plot_max, duration);
    const float right = std::max(left + 1, XOf(band.to_s, plot_min, plot_max, duration));
    const bool current = playhead_s >= band.from_s && playhead_s < band.to_s;
    draw->AddRectFilled(ImVec2(left, origin.y), ImVec2(right, plot_max.y),
                        kBandFills[band_index++ % std::size(kBandFills)]);
    draw->AddRectFilled(ImVec2(left, origin.y), ImVec2(right, origin.y + band_height - 2),
                        current ? colors::kCurrentState : colors::kOtherState);
    const ImVec4 clip(left + 2, origin.y, right - 2, origin.y + band_height);
    draw->AddText(fonts.small, fonts.small->FontSize, ImVec2(left + 4, origin.y + 3),
                  current ? IM_COL32(0, 0, 0, 255) : colors::kStateText, band.state.c_str(),
                  nullptr, 0, &clip);
  }
  DrawTrends(draw, timeline, plot_min, plot_max);

  // Markers under the plot: ticks for events, flags for bookmarks.
  const float marker_top = plot_max.y + 2;
  const Marker* hovered = nullptr;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (const Marker& marker : timeline.markers()) {
    const float x = XOf(marker.sim_time_s, plot_min, plot_max, duration);
    if (marker.bookmark) {
      draw->AddLine(ImVec2(x, plot_min.y), ImVec2(x, marker_top + marker_height - 4),
                    colors::kBookmark, 2);
      draw->AddTriangleFilled(ImVec2(x, marker_top + 4), ImVec2(x + 12, marker_top + 10),
                              ImVec2(x, marker_top + 16), colors::kBookmark);
    } else {
      draw->AddLine(ImVec2(x, marker_top), ImVec2(x, marker_top + 10), colors::kMuted);
    }
    if (std::abs(mouse.x - x) < 4 && mouse.y >= marker_top &&
        mouse.y <= marker_top + marker_height) {
      hovered = &marker;
    }
  }

  // Scrubbing: the whole area is one button.
  ImGui::SetCursorScreenPos(origin);
  ImGui::InvisibleButton("timeline", ImVec2(std::max(1.0f, avail.x), std::max(1.0f, avail.y)));
  auto time_at = [&](float x) {
    return std::clamp(static_cast<double>((x - plot_min.x) / (plot_max.x - plot_min.x)), 0.0, 1.0) *
           duration;
  };
  double shown_playhead = playhead_s;
  if (ImGui::IsItemActive()) shown_playhead = time_at(mouse.x);
  if (ImGui::IsItemDeactivated()) {
    seek = hovered ? hovered->sim_time_s : time_at(mouse.x);
  }
  if (hovered) {
    ImGui::SetTooltip("%s %s\nclick to jump here", ClockText(hovered->sim_time_s).c_str(),
                      hovered->label.c_str());
  } else if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("%s", ClockText(time_at(mouse.x)).c_str());
  }
  const float head = XOf(shown_playhead, plot_min, plot_max, duration);
  draw->AddLine(ImVec2(head, origin.y), ImVec2(head, plot_max.y), IM_COL32(255, 255, 255, 255), 2);
  draw->AddText(fonts.small, fonts.small->FontSize, ImVec2(head + 4, plot_min.y + 2),
                IM_COL32(255, 255, 255, 255), ClockText(shown_playhead).c_str());
  return seek;
}

}  // namespace pedisim::dashboard
