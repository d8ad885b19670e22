# ccache, when installed, unless a launcher is already chosen (-DCMAKE_CXX_COMPILER_LAUNCHER=...,
# or the environment variable of that name). A rebuild of unchanged sources is then a cache hit;
# CCACHE_DISABLE=1 turns it off for one command (that is how the clean-build times are measured).
# The precompiled headers need two sloppiness settings, or ccache declines every file that
# includes one (it cannot hash a .gch): pch_defines (the .gch stands for the macros it holds)
# and time_macros (GCC records __TIME__ in a .gch); include_file_mtime/ctime because the .gch is
# always newer than the compile that starts just after it.
if(NOT DEFINED CMAKE_CXX_COMPILER_LAUNCHER AND NOT DEFINED ENV{CMAKE_CXX_COMPILER_LAUNCHER})
  find_program(INITSCOPE_CCACHE ccache)
  if(INITSCOPE_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER
        ${CMAKE_COMMAND} -E env CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime ${INITSCOPE_CCACHE})
    message(STATUS "Compiler launcher: ${INITSCOPE_CCACHE}")
  endif()
endif()
