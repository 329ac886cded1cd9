#include "render/imgui_sdl_renderer.h"

#include <imgui.h>

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <string>

namespace pedisim::dashboard {

ImGuiSdlRenderer::ImGuiSdlRenderer(SDL_Renderer* renderer) : renderer_(renderer) {
  ImGuiIO& io = ImGui::GetIO();
  io.BackendRendererName = "pedisim_sdl_renderer";
  // Large draw lists (four waveforms of a thousand points) need 32-bit
  // indices only past 65,535 vertices per list; ImGui splits commands
  // itself with this flag.
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
}

ImGuiSdlRenderer::~ImGuiSdlRenderer() {
  ImGui::GetIO().Fonts->SetTexID(nullptr);
  if (font_texture_) SDL_DestroyTexture(font_texture_);
}

void ImGuiSdlRenderer::CreateFontTexture() {
  ImGuiIO& io = ImGui::GetIO();
  unsigned char* pixels = nullptr;
  int width = 0;
  int height = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
  // ImGui's RGBA bytes are ABGR8888 in SDL's packed little-endian naming.
  font_texture_ = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ABGR8888, SDL_TEXTUREACCESS_STATIC,
                                    width, height);
  if (!font_texture_) {
    throw std::runtime_error(std::string("cannot create the font texture: ") + SDL_GetError());
  }
  SDL_UpdateTexture(font_texture_, nullptr, pixels, width * 4);
  SDL_SetTextureBlendMode(font_texture_, SDL_BLENDMODE_BLEND);
  SDL_SetTextureScaleMode(font_texture_, SDL_ScaleModeLinear);
  io.Fonts->SetTexID(font_texture_);
}

void ImGuiSdlRenderer::NewFrame() {
  if (!font_texture_) CreateFontTexture();
}

void ImGuiSdlRenderer::Render(ImDrawData* draw_data) {
  const ImVec4 background = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  SDL_SetRenderDrawColor(renderer_, static_cast<Uint8>(background.x * 255),
                         static_cast<Uint8>(background.y * 255),
                         static_cast<Uint8>(background.z * 255), 255);
  SDL_RenderSetClipRect(renderer_, nullptr);
  SDL_RenderClear(renderer_);

  // On a high-DPI window the framebuffer is larger than the logical size;
  // SDL scales the vertices and the clip rectangles for us.
  SDL_RenderSetScale(renderer_, draw_data->FramebufferScale.x, draw_data->FramebufferScale.y);
  const ImVec2 origin = draw_data->DisplayPos;
  for (int list_index = 0; list_index < draw_data->CmdListsCount; ++list_index) {
    const ImDrawList* list = draw_data->CmdLists[list_index];
    const ImDrawVert* vertices = list->VtxBuffer.Data;
    const ImDrawIdx* indices = list->IdxBuffer.Data;
    for (const ImDrawCmd& command : list->CmdBuffer) {
      if (command.UserCallback) {
        command.UserCallback(list, &command);
        continue;
      }
      const float clip_left = std::max(0.0f, command.ClipRect.x - origin.x);
      const float clip_top = std::max(0.0f, command.ClipRect.y - origin.y);
      const float clip_right = command.ClipRect.z - origin.x;
      const float clip_bottom = command.ClipRect.w - origin.y;
      if (clip_right <= clip_left || clip_bottom <= clip_top) continue;
      const SDL_Rect clip{static_cast<int>(clip_left), static_cast<int>(clip_top),
                          static_cast<int>(clip_right - clip_left),
                          static_cast<int>(clip_bottom - clip_top)};
      SDL_RenderSetClipRect(renderer_, &clip);

      const ImDrawVert* first = vertices + command.VtxOffset;
      // ImDrawVert is pos, uv, col (RGBA bytes = SDL_Color) in one struct.
      SDL_RenderGeometryRaw(
          renderer_, static_cast<SDL_Texture*>(command.GetTexID()),
          reinterpret_cast<const float*>(reinterpret_cast<const char*>(first) +
                                         offsetof(ImDrawVert, pos)),
          sizeof(ImDrawVert),
          reinterpret_cast<const SDL_Color*>(reinterpret_cast<const char*>(first) +
                                             offsetof(ImDrawVert, col)),
          sizeof(ImDrawVert),
          reinterpret_cast<const float*>(reinterpret_cast<const char*>(first) +
                                         offsetof(ImDrawVert, uv)),
          sizeof(ImDrawVert), list->VtxBuffer.Size - static_cast<int>(command.VtxOffset),
          indices + command.IdxOffset, static_cast<int>(command.ElemCount), sizeof(ImDrawIdx));
    }
  }
  SDL_RenderSetClipRect(renderer_, nullptr);
}

}  // namespace pedisim::dashboard
