#include "render/imgui_sdl_renderer.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
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

namespace {

bool Opaque(const ImDrawVert& vertex) { return (vertex.col >> IM_COL32_A_SHIFT) == 0xFF; }

}  // namespace

void ImGuiSdlRenderer::DrawTriangles(const ImDrawVert* vertices, int vertex_count,
                                     const ImDrawIdx* indices, int index_count,
                                     SDL_Texture* texture) {
  if (index_count <= 0) return;
  if (!texture) {
    // Blending costs the software renderer as much again as filling:
    // only translucent triangles (AA fringes, dimmed fills) pay for it.
    bool opaque = true;
    for (int i = 0; i < index_count && opaque; ++i) opaque = Opaque(vertices[indices[i]]);
    SDL_SetRenderDrawBlendMode(renderer_, opaque ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
  }
  // ImDrawVert is pos, uv, col (RGBA bytes = SDL_Color) in one struct.
  const char* base = reinterpret_cast<const char*>(vertices);
  SDL_RenderGeometryRaw(
      renderer_, texture, reinterpret_cast<const float*>(base + offsetof(ImDrawVert, pos)),
      sizeof(ImDrawVert), reinterpret_cast<const SDL_Color*>(base + offsetof(ImDrawVert, col)),
      sizeof(ImDrawVert), reinterpret_cast<const float*>(base + offsetof(ImDrawVert, uv)),
      sizeof(ImDrawVert), vertex_count, indices, index_count, sizeof(ImDrawIdx));
}

bool ImGuiSdlRenderer::FillIfRectangle(const ImDrawVert* vertices, const ImDrawIdx* indices) {
  // ImGui's PrimRect: corners a, b, c, d as (0 1 2) (0 2 3), one colour,
  // sides along the axes.
  const ImDrawIdx first = indices[0];
  if (indices[1] != first + 1 || indices[2] != first + 2 || indices[3] != first ||
      indices[4] != first + 2 || indices[5] != first + 3) {
    return false;
  }
  const ImDrawVert* corner = vertices + first;
  if (corner[1].col != corner[0].col || corner[2].col != corner[0].col ||
      corner[3].col != corner[0].col || corner[0].pos.y != corner[1].pos.y ||
      corner[1].pos.x != corner[2].pos.x || corner[2].pos.y != corner[3].pos.y ||
      corner[3].pos.x != corner[0].pos.x) {
    return false;
  }
  const ImU32 color = corner[0].col;
  SDL_SetRenderDrawBlendMode(renderer_,
                             Opaque(corner[0]) ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
  SDL_SetRenderDrawColor(renderer_, (color >> IM_COL32_R_SHIFT) & 0xFF,
                         (color >> IM_COL32_G_SHIFT) & 0xFF, (color >> IM_COL32_B_SHIFT) & 0xFF,
                         (color >> IM_COL32_A_SHIFT) & 0xFF);
  const SDL_FRect rect{
      std::min(corner[0].pos.x, corner[2].pos.x), std::min(corner[0].pos.y, corner[2].pos.y),
      std::abs(corner[2].pos.x - corner[0].pos.x), std::abs(corner[2].pos.y - corner[0].pos.y)};
  SDL_RenderFillRectF(renderer_, &rect);
  return true;
}

void ImGuiSdlRenderer::DrawCommand(const ImDrawVert* vertices, int vertex_count,
                                   const ImDrawIdx* indices, int index_count,
                                   SDL_Texture* texture) {
  // ImGui draws solid shapes with the font texture's white pixel. SDL's
  // software renderer fills an untextured, opaque rectangle ten times
  // faster than it rasterizes textured triangles, so solid rectangles are
  // filled as rectangles, other solid triangles go untextured and glyphs
  // textured, all in their original order.
  const ImVec2 white = ImGui::GetIO().Fonts->TexUvWhitePixel;
  auto solid = [&](int triangle) {
    for (int corner = 0; corner < 3; ++corner) {
      const ImVec2 uv = vertices[indices[triangle * 3 + corner]].uv;
      if (uv.x != white.x || uv.y != white.y) return false;
    }
    return true;
  };
  const int triangles = index_count / 3;
  int run_start = 0;
  bool run_solid = false;
  auto flush = [&](int run_end) {
    DrawTriangles(vertices, vertex_count, indices + run_start * 3, (run_end - run_start) * 3,
                  run_solid ? nullptr : texture);
  };
  for (int triangle = 0; triangle < triangles; ++triangle) {
    const bool is_solid = solid(triangle);
    if (is_solid && triangle + 1 < triangles && solid(triangle + 1)) {
      flush(triangle);
      if (FillIfRectangle(vertices, indices + triangle * 3)) {
        run_start = ++triangle + 1;
        continue;
      }
      run_start = triangle;
    }
    if (triangle > run_start && is_solid != run_solid) {
      flush(triangle);
      run_start = triangle;
    }
    run_solid = is_solid;
  }
  flush(triangles);
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

      DrawCommand(vertices + command.VtxOffset,
                  list->VtxBuffer.Size - static_cast<int>(command.VtxOffset),
                  indices + command.IdxOffset, static_cast<int>(command.ElemCount),
                  static_cast<SDL_Texture*>(command.GetTexID()));
    }
  }
  SDL_RenderSetClipRect(renderer_, nullptr);
}

}  // namespace pedisim::dashboard
