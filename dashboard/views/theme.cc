#include "views/theme.h"

#include <filesystem>

namespace pedisim::dashboard {
namespace {

// Latin, and the punctuation, arrows and maths signs event summaries use
// ("met \u2014 call", "\u2192", "\u2264"); ImGui's default is Latin-1 only.
constexpr ImWchar kTextGlyphs[] = {0x0020, 0x017F, 0x2010, 0x205E, 0x2190, 0x21FF,
                                   0x2200, 0x22FF, 0x25A0, 0x25FF, 0};

}  // namespace

ImFont* AddFont(const char* file, float size, const ImWchar* glyphs) {
  ImGuiIO& io = ImGui::GetIO();
  const std::filesystem::path path = std::filesystem::path(PEDISIM_DASHBOARD_FONT_DIR) / file;
  if (std::filesystem::exists(path)) {
    return io.Fonts->AddFontFromFileTTF(path.c_str(), size, nullptr, glyphs);
  }
  ImFontConfig config;
  config.SizePixels = size;
  return io.Fonts->AddFontDefault(&config);
}

ImVec4 ToVec4(ImU32 color) { return ImGui::ColorConvertU32ToFloat4(color); }

Fonts LoadFontsAndStyle(float scale) {
  Fonts fonts;
  fonts.regular = AddFont("DejaVuSans.ttf", 17 * scale, kTextGlyphs);
  fonts.small = AddFont("DejaVuSans.ttf", 14 * scale, kTextGlyphs);
  fonts.bold = AddFont("DejaVuSans-Bold.ttf", 18 * scale, kTextGlyphs);
  fonts.numeric_large = AddFont("DejaVuSans-Bold.ttf", 52 * scale);
  fonts.numeric_medium = AddFont("DejaVuSans-Bold.ttf", 32 * scale);
  ImGui::GetIO().FontDefault = fonts.regular;

  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  // Square corners: SDL's software renderer fills a rounded shape as a fan
  // of triangles, each costing its whole bounding box, while a square one
  // is a single rectangle fill (see render/imgui_sdl_renderer.cc).
  style.WindowRounding = 0;
  style.FrameRounding = 0;
  style.GrabRounding = 0;
  style.TabRounding = 0;
  style.ScrollbarRounding = 0;
  style.ChildRounding = 0;
  style.PopupRounding = 0;
  style.WindowBorderSize = 1;
  style.WindowPadding = ImVec2(8, 6);
  style.ItemSpacing = ImVec2(6, 5);
  style.Colors[ImGuiCol_WindowBg] = ImVec4(0.06f, 0.06f, 0.07f, 1);
  style.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
  style.Colors[ImGuiCol_TitleBg] = ImVec4(0.12f, 0.13f, 0.16f, 1);
  style.Colors[ImGuiCol_TitleBgActive] = ImVec4(0.16f, 0.18f, 0.24f, 1);
  // No anti-aliased lines: a waveform is a thousand segments, and each
  // anti-aliased segment is six triangles (or textured ones) instead of two,
  // which more than halves the software renderer's frame rate
  // (docs/dashboard.md). At 2 px the traces still read well.
  style.AntiAliasedLinesUseTex = false;
  style.AntiAliasedLines = false;
  style.ScaleAllSizes(scale);
  return fonts;
}

}  // namespace pedisim::dashboard
