#pragma once
// Enums named by short keys on the command line and in saved settings ("act", "grid", …): the
// key → value lookup, written once for every such table (quantities, figures, the window's tabs).
#include <iterator>
#include <string>

namespace initscope::render {

// Sets `out` to the value of `all` whose key_of(value) is `key`; false (out untouched) if none.
template <class Enum, size_t N>
bool parse_key(const Enum (&all)[N], const char* (*key_of)(Enum), const std::string& key,
               Enum& out) {
  for (Enum v : all)
    if (key == key_of(v)) {
      out = v;
      return true;
    }
  return false;
}

}  // namespace initscope::render
