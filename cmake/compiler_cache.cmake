# ccache, when installed, unless a launcher is already chosen (-DCMAKE_CXX_COMPILER_LAUNCHER=...,
# or the environment variable of that name). A rebuild of unchanged sources is then a cache hit;
# CCACHE_DISABLE=1 turns it off for one command (that is how the clean-build times are measured).
if(NOT DEFINED CMAKE_CXX_COMPILER_LAUNCHER AND NOT DEFINED ENV{CMAKE_CXX_COMPILER_LAUNCHER})
  find_program(INITSCOPE_CCACHE ccache)
  if(INITSCOPE_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER ${INITSCOPE_CCACHE})
    message(STATUS "Compiler launcher: ${INITSCOPE_CCACHE}")
  endif()
endif()
# ccache declines ("uncacheable") every file compiled with a precompiled header unless told that
# the .gch stands for the macros it holds (pch_defines) and that its timestamps do not matter
# (time_macros: GCC records __TIME__ in it; include_file_mtime/ctime: the .gch is always newer
# than the compile that starts just after it). ccache 4.7 takes settings only from its
# configuration or the environment, so a launcher that is ccache (found above or given) runs
# under `cmake -E env`.
if(CMAKE_CXX_COMPILER_LAUNCHER)
  list(GET CMAKE_CXX_COMPILER_LAUNCHER 0 INITSCOPE_LAUNCHER_PROGRAM)
  get_filename_component(INITSCOPE_LAUNCHER_NAME "${INITSCOPE_LAUNCHER_PROGRAM}" NAME)
  if(INITSCOPE_LAUNCHER_NAME STREQUAL "ccache")
    set(CMAKE_CXX_COMPILER_LAUNCHER
        ${CMAKE_COMMAND} -E env
        CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
        ${CMAKE_CXX_COMPILER_LAUNCHER})
  endif()
endif()
