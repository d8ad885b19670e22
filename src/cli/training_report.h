#pragma once
// The tail `train` and `gan` share: train epoch by epoch with a progress line on standard error
// after each, then write the last snapshot's table, JSON or CSV to standard output or, whole or
// not at all, to --out.
#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "core/json_text.h"

namespace initscope {

// How a command reports its snapshots (core/training/training_io.h, core/gan/gan_io.h).
template <class Snapshot>
struct SnapshotReport {
  std::string (*epoch_line)(const Snapshot&);  // the progress line of an epoch's end
  nlohmann::ordered_json (*json)(const Snapshot&);
  std::string (*csv)(const Snapshot&);
  std::string (*table)(const Snapshot&);
  // nullptr: the progress line ends with " (12.3 s)"; else " (12.3 s, 45.6 <rate_unit>/s)",
  // from the snapshot's steps_per_s.
  const char* rate_unit = nullptr;
};

// --format before any work: table, json or csv, else UsageError naming the value.
void check_report_format(const std::string& format);
// Writes "initscope: <line> (<seconds since t0> s[, <rate> <rate_unit>/s])" to standard error.
void print_epoch_progress(const std::string& line, std::chrono::steady_clock::time_point t0,
                          const char* rate_unit, double rate);
// `text` to standard output (`out` "" or "-") or whole to the file `out`.
void write_report(const std::string& text, const std::string& out, bool force);

// Trains to the end (TrainerT::run_epoch() until it returns false), then writes the final
// snapshot in `format`; its probe statistics only when `probe_in_json` and the format is json.
template <class TrainerT, class Snapshot>
void train_and_report(TrainerT& trainer, const SnapshotReport<Snapshot>& report,
                      std::chrono::steady_clock::time_point t0, const std::string& format,
                      bool probe_in_json, const std::string& out, bool force) {
  while (trainer.run_epoch()) {
    const Snapshot s = trainer.snapshot(false);
    print_epoch_progress(report.epoch_line(s), t0, report.rate_unit, s.steps_per_s);
  }
  const Snapshot s = trainer.snapshot(probe_in_json && format == "json");
  write_report(format == "json"  ? json_text(report.json(s), 1) + "\n"
               : format == "csv" ? report.csv(s)
                                 : report.table(s),
               out, force);
}

}  // namespace initscope
