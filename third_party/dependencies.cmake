# Included by the top-level CMakeLists.txt (include(), so imported targets are visible everywhere).
# Wraps Debian's system packages as CMake targets (nothing here is vendored source).
# deps::eigen deps::json deps::cli11 deps::imgui deps::glfw deps::gl deps::egl deps::png deps::zlib
find_package(PkgConfig REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenMP REQUIRED)

add_library(deps_eigen INTERFACE)
# OpenMP is Eigen's (and our statistics pass's) only thread pool: one pool, never two.
target_link_libraries(deps_eigen INTERFACE Eigen3::Eigen OpenMP::OpenMP_CXX)
add_library(deps::eigen ALIAS deps_eigen)

add_library(deps_json INTERFACE)
target_link_libraries(deps_json INTERFACE nlohmann_json::nlohmann_json)
add_library(deps::json ALIAS deps_json)

# CLI11 2.1 from libcli11-dev is header-only.
find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
add_library(deps_cli11 INTERFACE)
target_include_directories(deps_cli11 SYSTEM INTERFACE ${CLI11_INCLUDE_DIR})
add_library(deps::cli11 ALIAS deps_cli11)

# Dear ImGui 1.86 (libimgui-dev): core + glfw/opengl3 backends are inside libimgui.a.
pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
add_library(deps_imgui INTERFACE)
target_link_libraries(deps_imgui INTERFACE PkgConfig::IMGUI ${CMAKE_DL_LIBS})
# IMGUI_INCLUDE_DIRS is a list (imgui;stb): the backends folder is named from IMGUI_INCLUDEDIR.
target_include_directories(deps_imgui SYSTEM INTERFACE ${IMGUI_INCLUDE_DIRS}
                                                       ${IMGUI_INCLUDEDIR}/backends)
add_library(deps::imgui ALIAS deps_imgui)

pkg_check_modules(GLFW REQUIRED IMPORTED_TARGET glfw3)
add_library(deps::glfw ALIAS PkgConfig::GLFW)

set(OpenGL_GL_PREFERENCE GLVND)
find_package(OpenGL REQUIRED COMPONENTS OpenGL EGL)
add_library(deps_gl INTERFACE)
target_link_libraries(deps_gl INTERFACE OpenGL::OpenGL)
add_library(deps::gl ALIAS deps_gl)
add_library(deps_egl INTERFACE)
target_link_libraries(deps_egl INTERFACE OpenGL::EGL OpenGL::OpenGL)
add_library(deps::egl ALIAS deps_egl)

find_package(PNG REQUIRED)
add_library(deps_png INTERFACE)
target_link_libraries(deps_png INTERFACE PNG::PNG)
add_library(deps::png ALIAS deps_png)

# zlib1g-dev: the MNIST / Fashion-MNIST IDX files are gzip-compressed (training mode).
find_package(ZLIB REQUIRED)
add_library(deps_zlib INTERFACE)
target_link_libraries(deps_zlib INTERFACE ZLIB::ZLIB)
add_library(deps::zlib ALIAS deps_zlib)

if(INITSCOPE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(INITSCOPE_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED)
endif()
