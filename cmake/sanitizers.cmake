# INITSCOPE_SANITIZE (e.g. "address,undefined"): every target is compiled and linked with
# -fsanitize=<list>. -O1 keeps the stacks readable and the build short (the tests' sizes are
# small); -g1 (line tables) is all a report needs; frame pointers give whole stacks to the leak
# reports. UBSan stops at its first report (no recovery), so a test cannot pass with undefined
# behaviour in it. The runtime options for ctest (leak suppressions, halt_on_error) come from
# tests/sanitizers/sanitizer_env.cmake.in, which ctest reads before it runs the tests.
if(INITSCOPE_SANITIZE)
  if(INITSCOPE_SANITIZE MATCHES "thread" AND INITSCOPE_SANITIZE MATCHES "address")
    message(FATAL_ERROR "INITSCOPE_SANITIZE='${INITSCOPE_SANITIZE}': thread cannot be combined "
                        "with address; allowed e.g. address,undefined or thread")
  endif()
  add_compile_options(-fsanitize=${INITSCOPE_SANITIZE} -fno-omit-frame-pointer -g1 -O1)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # At -O1 GCC 12 warns falsely inside its own AVX-512 intrinsics when Eigen's kernels are
    # inlined (as -Wmaybe-uninitialized above at -O3).
    add_compile_options(-Wno-uninitialized)
  endif()
  add_link_options(-fsanitize=${INITSCOPE_SANITIZE})
  if(INITSCOPE_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
  if(INITSCOPE_TSAN_TESTS)
    message(STATUS "INITSCOPE_SANITIZE=${INITSCOPE_SANITIZE}: the separate TSan test target "
                   "(INITSCOPE_TSAN_TESTS) is left out")
    set(INITSCOPE_TSAN_TESTS OFF)
  endif()
endif()
# INITSCOPE_FUZZ: coverage for libFuzzer in every library; the fuzz targets link the fuzzer's
# main (tests/fuzz/CMakeLists.txt).
if(INITSCOPE_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
