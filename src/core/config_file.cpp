#include "config_file.h"

#include "error.h"
#include "file_io.h"
#include "json_text.h"
#include "png_text.h"

namespace initscope {

Experiment load_experiment_file(const std::string& path, const std::string& option) {
  const std::string source = option + " '" + path + "'";
  if (path.empty())
    throw UsageError(option +
                     ": empty file name; give a JSON experiment, a stats JSON document "
                     "or a PNG written by initscope");
  std::string text;
  try {
    if (is_png_file(path)) {
      const auto embedded = read_png_experiment(path);
      if (!embedded) {
        throw UsageError(source +
                         ": this PNG has no embedded initscope settings (only figures written "
                         "by initscope carry them)");
      }
      text = *embedded;
    } else {
      if (has_png_extension(path)) {
        throw UsageError(source +
                         ": not a PNG file (no PNG signature); allowed: a JSON experiment, a "
                         "stats JSON document, or a PNG written by initscope");
      }
      text = read_file(path);
    }
  } catch (const RuntimeError& e) {
    throw UsageError(option + ": " + e.what());
  }
  return Experiment::from_json(parse_json_bounded(text, source), source);
}

}  // namespace initscope
