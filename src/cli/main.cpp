// initscope: see what weight initialization does to every layer. The subcommands live in
// src/cli; this file stays thin.
#include "commands.h"
#include "core/file_io.h"

int main(int argc, char** argv) {
  initscope::install_temp_file_cleanup();  // Ctrl-C leaves no half-written file behind
  return initscope::run_cli(argc, argv);
}
