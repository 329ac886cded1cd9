// Draws Dear ImGui's draw lists on any SDL_Renderer (a window's accelerated
// one or the software renderer of a headless surface) with
// SDL_RenderGeometryRaw. Debian's libimgui.a has no SDL renderer backend, so
// this is ours, shaped like ImGui's backends: Init, NewFrame, Render, Shutdown.
#pragma once

#include <SDL.h>
#include <imgui.h>

namespace pedisim::dashboard {

class ImGuiSdlRenderer {
 public:
  // The ImGui context must exist; fonts are uploaded on the first NewFrame.
  explicit ImGuiSdlRenderer(SDL_Renderer* renderer);
  ~ImGuiSdlRenderer();
  ImGuiSdlRenderer(const ImGuiSdlRenderer&) = delete;
  ImGuiSdlRenderer& operator=(const ImGuiSdlRenderer&) = delete;

  // Uploads the font atlas the first time (after the fonts are added).
  void NewFrame();
  // Clears to the background colour and draws every command list.
  void Render(ImDrawData* draw_data);

 private:
  void CreateFontTexture();
  // One draw command, split into runs of solid and textured triangles.
  void DrawCommand(const ImDrawVert* vertices, int vertex_count, const ImDrawIdx* indices,
                   int index_count, SDL_Texture* texture);
  // Fills ImGui's axis-aligned rectangle at `indices` (two triangles) as
  // a rectangle; false when it is not one.
  bool FillIfRectangle(const ImDrawVert* vertices, const ImDrawIdx* indices);
  void DrawTriangles(const ImDrawVert* vertices, int vertex_count, const ImDrawIdx* indices,
                     int index_count, SDL_Texture* texture);

  SDL_Renderer* renderer_;
  SDL_Texture* font_texture_ = nullptr;
};

}  // namespace pedisim::dashboard
