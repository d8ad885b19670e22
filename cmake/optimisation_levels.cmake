# Optimisation level per layer. Included at the end of the top-level CMakeLists.txt, once every
# target exists. The engine (src/core) keeps the release flags (-O3): its kernels are what
# tests/bench measures. The layers above it spend their time in ImGui, GL, libpng and the engine,
# so they are compiled for build time instead:
#   render (histogram binning into draw lists, every frame)  -O2
#   export, app, cli (figure assembly, windows, options)       -O1
#   every test program                                         -O1 (what they test is the
#                                                              engine they link, compiled as above)
# Measured on the 2-core build machine (README "Build times"): a clean build of the app alone
# spends 363 s of CPU at -O3 everywhere, 312 s with these levels and the unity builds below.
# Sanitizer builds set their own -O1 (cmake/sanitizers.cmake).
function(initscope_targets_below dir out)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(sub IN LISTS subdirs)
    initscope_targets_below(${sub} below)
    list(APPEND targets ${below})
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

if(NOT INITSCOPE_SANITIZE AND CMAKE_BUILD_TYPE STREQUAL "Release")
  target_compile_options(initscope_render PRIVATE -O2)
  set(fast_to_build initscope_export initscope_png initscope_app initscope)
  if(INITSCOPE_BUILD_TESTS)
    initscope_targets_below(${CMAKE_SOURCE_DIR}/tests test_targets)
    list(APPEND fast_to_build ${test_targets})
  endif()
  foreach(target IN LISTS fast_to_build)
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE" OR type STREQUAL "STATIC_LIBRARY")
      target_compile_options(${target} PRIVATE -O1)
    endif()
  endforeach()
endif()

# Unity builds, where a header-only library or Eigen's kernels would otherwise be compiled again
# in every file:
# - the command line: CLI11 defines its validators as namespace-scope objects, so every file that
#   included it compiled all of them (the five files took 62 s of CPU; as one file, 14 s);
# - the test build's second engine (ThreadSanitizer, tests/gui) and the unit tests, 8 files per
#   unit: Eigen's kernels and GoogleTest's templates are instantiated once per 8 files. Names in
#   an anonymous namespace must therefore differ between the files of one target;
# - the window (src/app) and the export tests, 8 files per unit: every window file includes the
#   app's state, the figures' and the engine's headers.
# -DINITSCOPE_UNITY_BUILD=OFF compiles file by file (an edit then rebuilds one file, not eight).
option(INITSCOPE_UNITY_BUILD "Unity builds for the command line, the window and the test programs" ON)
if(INITSCOPE_UNITY_BUILD)
  set_target_properties(initscope PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 0)
  foreach(target initscope_app initscope_core_tsan initscope_unit_tests initscope_export_tests)
    if(TARGET ${target})
      set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
    endif()
  endforeach()
  # It declares GL's extension functions (GL_GLEXT_PROTOTYPES) before GL's header is included.
  set_source_files_properties(${CMAKE_SOURCE_DIR}/src/app/capture.cpp TARGET_DIRECTORY initscope_app
                              PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
endif()
