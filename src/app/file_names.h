#pragma once
// Default names for files the window writes: "<dir>/initscope-<preset>-<what>-20240131-142501.png".
#include <string>

namespace initscope::app {

// `what` may be empty ("window"). Appends -2, -3, … when the name is taken.
std::string default_file_name(const std::string& dir, const std::string& preset,
                              const std::string& what, const std::string& extension);
// ~/Pictures when it exists, else ~ , else ".".
std::string default_export_dir();
// Expands a leading "~/".
std::string expand_home(const std::string& path);

}  // namespace initscope::app
