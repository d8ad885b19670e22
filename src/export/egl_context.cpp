// EGL surfaceless context + FBO (docs/ARCHITECTURE.md "Headless figures"). GL entry points come
// from libOpenGL (GLVND), which dispatches to whichever context is current — the same dispatch the
// ImGui OpenGL3 backend reaches through its own loader (libGL.so.1 + glXGetProcAddressARB).
#define GL_GLEXT_PROTOTYPES 1
#include "egl_context.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GL/gl.h>
#include <GL/glext.h>

#include <cstring>
#include <string>

#include "core/error.h"
#include "gl_pixels.h"

namespace initscope {
namespace {

const char* egl_error_name(EGLint code) {
  switch (code) {
    case EGL_SUCCESS:
      return "EGL_SUCCESS";
    case EGL_NOT_INITIALIZED:
      return "EGL_NOT_INITIALIZED";
    case EGL_BAD_ACCESS:
      return "EGL_BAD_ACCESS";
    case EGL_BAD_ALLOC:
      return "EGL_BAD_ALLOC";
    case EGL_BAD_ATTRIBUTE:
      return "EGL_BAD_ATTRIBUTE";
    case EGL_BAD_CONFIG:
      return "EGL_BAD_CONFIG";
    case EGL_BAD_CONTEXT:
      return "EGL_BAD_CONTEXT";
    case EGL_BAD_CURRENT_SURFACE:
      return "EGL_BAD_CURRENT_SURFACE";
    case EGL_BAD_DISPLAY:
      return "EGL_BAD_DISPLAY";
    case EGL_BAD_MATCH:
      return "EGL_BAD_MATCH";
    case EGL_BAD_NATIVE_PIXMAP:
      return "EGL_BAD_NATIVE_PIXMAP";
    case EGL_BAD_NATIVE_WINDOW:
      return "EGL_BAD_NATIVE_WINDOW";
    case EGL_BAD_PARAMETER:
      return "EGL_BAD_PARAMETER";
    case EGL_BAD_SURFACE:
      return "EGL_BAD_SURFACE";
    case EGL_CONTEXT_LOST:
      return "EGL_CONTEXT_LOST";
    default:
      return "unknown EGL error";
  }
}

[[noreturn]] void fail(const std::string& step, const std::string& detail) {
  throw RuntimeError(
      "headless export needs OpenGL 3.3 through EGL/Mesa (install libegl-mesa0 "
      "libgl1-mesa-dri): " +
      step + " failed (" + detail + ")");
}
[[noreturn]] void fail_egl(const std::string& step) {
  fail(step, egl_error_name(eglGetError()));
}

bool has_extension(const char* list, const char* name) {
  if (!list) return false;
  size_t n = std::strlen(name);
  for (const char* p = list; (p = std::strstr(p, name)); p += n)
    if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return true;
  return false;
}

}  // namespace

EglContext::EglContext(int width, int height) : width_(width), height_(height) {
  const char* client_ext = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
  if (!has_extension(client_ext, "EGL_MESA_platform_surfaceless"))
    fail("finding EGL_MESA_platform_surfaceless",
         client_ext ? "not offered by libEGL" : egl_error_name(eglGetError()));
  auto get_platform_display = reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(
      eglGetProcAddress("eglGetPlatformDisplayEXT"));
  if (!get_platform_display) fail("eglGetProcAddress(eglGetPlatformDisplayEXT)", "not found");

  EGLDisplay display =
      get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
  if (display == EGL_NO_DISPLAY) fail_egl("eglGetPlatformDisplayEXT(surfaceless)");
  EGLint major = 0, minor = 0;
  if (!eglInitialize(display, &major, &minor)) fail_egl("eglInitialize");
  display_ = display;

  try {
    if (!eglBindAPI(EGL_OPENGL_API)) fail_egl("eglBindAPI(EGL_OPENGL_API)");
    // Rendering goes to our own framebuffer, so any desktop-GL config will do; with
    // EGL_KHR_no_config_context none is needed at all.
    const EGLint config_attribs[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE};
    EGLConfig config = EGL_NO_CONFIG_KHR;
    EGLint count = 0;
    if (!eglChooseConfig(display, config_attribs, &config, 1, &count) || count == 0) {
      if (!has_extension(eglQueryString(display, EGL_EXTENSIONS), "EGL_KHR_no_config_context"))
        fail("eglChooseConfig(OpenGL)", "no config");
      config = EGL_NO_CONFIG_KHR;
    }
    const EGLint context_attribs[] = {EGL_CONTEXT_MAJOR_VERSION,
                                      3,
                                      EGL_CONTEXT_MINOR_VERSION,
                                      3,
                                      EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                      EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                      EGL_NONE};
    EGLContext context = eglCreateContext(display, config, EGL_NO_CONTEXT, context_attribs);
    if (context == EGL_NO_CONTEXT) fail_egl("eglCreateContext(OpenGL 3.3 core)");
    context_ = context;
    if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context))
      fail_egl("eglMakeCurrent(surfaceless)");

    GLint max_size = 0;
    glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &max_size);
    if (width > max_size || height > max_size)
      throw RuntimeError("headless export: " + std::to_string(width) + "x" +
                         std::to_string(height) + " exceeds this OpenGL's limit of " +
                         std::to_string(max_size) + " pixels per side");
    glGenRenderbuffers(1, &colour_buffer_);
    glBindRenderbuffer(GL_RENDERBUFFER, colour_buffer_);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height);
    glGenFramebuffers(1, &framebuffer_);
    glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                              colour_buffer_);
    GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    if (status != GL_FRAMEBUFFER_COMPLETE)
      fail("creating a " + std::to_string(width) + "x" + std::to_string(height) + " framebuffer",
           "glCheckFramebufferStatus " + std::to_string(status));
    glViewport(0, 0, width, height);
  } catch (...) {
    release();
    throw;
  }
}

EglContext::~EglContext() {
  release();
}

void EglContext::release() {
  if (!display_) return;
  if (context_) {
    if (framebuffer_) glDeleteFramebuffers(1, &framebuffer_);
    if (colour_buffer_) glDeleteRenderbuffers(1, &colour_buffer_);
    eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    eglDestroyContext(display_, context_);
  }
  eglTerminate(display_);
  eglReleaseThread();
  display_ = context_ = nullptr;
  framebuffer_ = colour_buffer_ = 0;
}

Image EglContext::read_pixels() const {
  glBindFramebuffer(GL_READ_FRAMEBUFFER, framebuffer_);
  return read_gl_pixels(width_, height_);
}

}  // namespace initscope
