// initscope: see what weight initialization does to every layer. The subcommands live in
// src/cli; this file stays thin.
#include "commands.h"
#include "core/file_io.h"
#include "core/heap_pages.h"

int main(int argc, char** argv) {
  initscope::use_huge_page_heap();
  initscope::install_temp_file_cleanup();  // Ctrl-C leaves no half-written file behind
  return initscope::run_cli(argc, argv);
}
