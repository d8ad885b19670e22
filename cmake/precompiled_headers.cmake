# Precompiled headers, one per target (GCC cannot share a .gch between targets whose flags
# differ). Included at the end of the top-level CMakeLists.txt, once every target exists.
# Nearly every file includes Eigen and json (through core/engine/activation.h and core/experiment.h).
# Measured on the 2-core build machine (GCC 12, clean build, ccache off): the files that parse
# the most get faster (run_cli.cpp 31 → 17 s, experiment_args.cpp 28 → 18 s, the TSan build of
# the engine 253 → 191 s with -g1), but building the nine .gch files costs 149 s of CPU, so a
# clean build takes the same CPU time as without them (1,049 s vs 1,052 s); what they buy is the
# rebuild of an edited file. -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON turns them off.
set(INITSCOPE_PCH_ENGINE <Eigen/Core> <nlohmann/json.hpp>)
# The figures, the window and the exporter name the engine's types but include neither Eigen nor
# the JSON library (core/engine/activation.h and core/experiment.h keep them out): their .gch is ImGui
# and the standard library, a quarter of the engine's to build and to load in every file.
set(INITSCOPE_PCH_FIGURES <imgui.h> <algorithm> <functional> <memory> <optional> <string> <vector>)
set(INITSCOPE_PCH_TESTS ${INITSCOPE_PCH_ENGINE} <gtest/gtest.h>)

function(initscope_precompile_headers target)
  if(TARGET ${target})
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()

initscope_precompile_headers(initscope_core ${INITSCOPE_PCH_ENGINE})
initscope_precompile_headers(initscope_render ${INITSCOPE_PCH_FIGURES})
initscope_precompile_headers(initscope_export ${INITSCOPE_PCH_FIGURES})
initscope_precompile_headers(initscope_app ${INITSCOPE_PCH_FIGURES})
# Not the command line (initscope): it is one translation unit (cmake/optimisation_levels.cmake),
# so a .gch would be compiled for one use.
initscope_precompile_headers(initscope_unit_tests ${INITSCOPE_PCH_TESTS})
initscope_precompile_headers(initscope_core_tsan ${INITSCOPE_PCH_ENGINE})
initscope_precompile_headers(initscope_export_tests ${INITSCOPE_PCH_TESTS} <imgui.h>)
initscope_precompile_headers(initscope_ui_tests ${INITSCOPE_PCH_TESTS} <imgui.h>)
