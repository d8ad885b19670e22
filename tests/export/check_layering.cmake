# Issue 11's layering rules, checked on the sources (cmake -DSRC=<repo>/src -P this file):
# - render sees the data, not the engine: no src/render file includes the simulation, Eigen or
#   the GEMM kernel (a snapshot is core/snapshot.h, data only);
# - src/app keeps no function-local or file-level static state (state belongs to AppState).
set(problems "")
file(GLOB render_files ${SRC}/render/*.h ${SRC}/render/*.cpp)
foreach(f ${render_files})
  file(STRINGS ${f} hits REGEX "simulation\\.h|Eigen|packed_gemm")
  foreach(h ${hits})
    string(APPEND problems "\n  ${f}: ${h}")
  endforeach()
endforeach()
file(GLOB app_files ${SRC}/app/*.cpp ${SRC}/app/*.h)
foreach(f ${app_files})
  # `static` as a storage class (static_cast and static member functions of a class aside).
  file(STRINGS ${f} hits REGEX "(^|[^_a-z])static [^(]*[=;{]")
  foreach(h ${hits})
    if(NOT h MATCHES "static_cast")
      string(APPEND problems "\n  ${f}: ${h}")
    endif()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "layering rules broken:${problems}")
endif()
message(STATUS "render includes no engine header; src/app has no static state")
