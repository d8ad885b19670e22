// initscope: see what weight initialization does to every layer. The subcommands live in
// src/cli; this file stays thin.
#include "commands.h"

int main(int argc, char** argv) {
  return initscope::run_cli(argc, argv);
}
