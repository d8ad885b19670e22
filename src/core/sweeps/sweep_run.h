#pragma once
// Running a sweep (issue 15): the rows of one shard, measured in parallel — one whole row per
// OpenMP thread, each row on one thread inside, so a row's numbers do not depend on
// OMP_NUM_THREADS — checkpointed in canonical order so that a stopped run can be resumed, and
// the output written whole at the end.
//
// Checkpoint: with --out FILE the finished rows are appended, line by line and flushed, to
// FILE.partial (the CSV format, whatever FILE's); FILE itself is written whole, atomically, when
// the last row is done, and FILE.partial is then removed. --resume reads FILE.partial (a line
// cut short is dropped), checks that it belongs to the same sweep (description and shard) and
// measures only the rows after it; an existing FILE of the same sweep is already complete
// (nothing to do); of another sweep a UsageError (exit 2). Without --resume a FILE.partial is
// started afresh.
#include <functional>
#include <string>

#include "sweep_grid.h"

namespace initscope {

struct SweepRunOptions {
  std::string out;  // "" or "-": standard output (no checkpoint, no --resume)
  bool resume = false;
  bool force = false;  // replace an existing FILE
  SweepShard shard;
  // Called after each row: rows done (of this shard), its row count, seconds so far.
  std::function<void(size_t done, size_t total, double seconds)> progress;
};

// Runs the sweep; the text goes to opt.out (or stdout). Throws UsageError / RuntimeError.
void run_sweep(const SweepGrid& grid, const SweepRunOptions& opt);

// FILE.partial.
std::string sweep_checkpoint_path(const std::string& out);

}  // namespace initscope
