#include "capture.h"

#define GL_GLEXT_PROTOTYPES
#include <GL/glcorearb.h>
#include <imgui_impl_opengl3.h>

#include "core/error.h"
#include "export/gl_pixels.h"
#include "render/fonts.h"
#include "render/theme.h"
#include "ui_style.h"

namespace initscope::app {

Image render_offscreen(int w, int h, float font_px, render::Theme theme,
                       const std::function<void(ImDrawList*, ImVec2 size)>& draw) {
  GLint max_size = 0;
  glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &max_size);
  if (w <= 0 || h <= 0 || w > max_size || h > max_size)
    throw RuntimeError("cannot render a " + std::to_string(w) + "x" + std::to_string(h) +
                       " image: the GL limit is " + std::to_string(max_size) + " pixels a side");
  GLint prev_fb = 0;
  glGetIntegerv(GL_FRAMEBUFFER_BINDING, &prev_fb);
  GLuint fb = 0, rb = 0;
  glGenFramebuffers(1, &fb);
  glGenRenderbuffers(1, &rb);
  glBindRenderbuffer(GL_RENDERBUFFER, rb);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
  glBindFramebuffer(GL_FRAMEBUFFER, fb);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb);
  const bool complete = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;

  Image img;
  ImGuiContext* window_ctx = ImGui::GetCurrentContext();
  ImGuiContext* ctx = complete ? ImGui::CreateContext() : nullptr;
  if (ctx) {
    ImGui::SetCurrentContext(ctx);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(float(w), float(h));
    io.DeltaTime = 1.0f / 60.0f;
    render::load_fonts(font_px);
    apply_style(theme, font_px);
    ImGui_ImplOpenGL3_Init("#version 330 core");
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    draw(ImGui::GetBackgroundDrawList(), io.DisplaySize);
    ImGui::Render();
    glViewport(0, 0, w, h);
    const ImVec4 bg = render::clear_color(theme);
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    img = read_gl_pixels(w, h);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui::DestroyContext(ctx);
    ImGui::SetCurrentContext(window_ctx);
  }
  glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(prev_fb));
  glDeleteRenderbuffers(1, &rb);
  glDeleteFramebuffers(1, &fb);
  if (!complete) throw RuntimeError("cannot render off screen: framebuffer incomplete");
  return img;
}

}  // namespace initscope::app
