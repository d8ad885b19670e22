#include "training_report.h"

#include <cstdio>
#include <iostream>

#include "core/error.h"
#include "core/file_io.h"

namespace initscope {

void check_report_format(const std::string& format) {
  if (format != "table" && format != "json" && format != "csv") {
    throw UsageError("--format '" + format + "': allowed: table, json, csv");
  }
}

void print_epoch_progress(const std::string& line, std::chrono::steady_clock::time_point t0,
                          const char* rate_unit, double rate) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  char tail[96];
  if (rate_unit)
    std::snprintf(tail, sizeof tail, " (%.1f s, %.1f %s/s)", seconds, rate, rate_unit);
  else
    std::snprintf(tail, sizeof tail, " (%.1f s)", seconds);
  std::cerr << "initscope: " << line << tail << "\n";
}

void write_report(const std::string& text, const std::string& out, bool force) {
  if (out.empty() || out == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    write_file_atomic(out, text, force);
  }
}

}  // namespace initscope
