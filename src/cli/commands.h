#pragma once
// The subcommands of `initscope`; each returns the process exit code.
#include <string>

namespace initscope {

int run_cli(int argc, char** argv);

std::string inits_listing();    // `initscope inits`
std::string presets_listing();  // `initscope presets`
std::string lessons_listing();  // `initscope lessons`: one line each, its name first

}  // namespace initscope
