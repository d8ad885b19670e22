// The sweep's run loop: checkpoint, resume, whole-or-nothing output (sweep_run.h).
#include "sweep_run.h"

#include <malloc.h>
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#include "core/error.h"
#include "core/file_io.h"
#include "core/json_text.h"
#include "core/region_exceptions.h"
#include "sweep_file.h"

namespace initscope {
namespace {

bool sweep_to_stdout(const std::string& out) {
  return out.empty() || out == "-";
}

// The rows of `table` already in the checkpoint, when it belongs to this sweep; UsageError if
// it belongs to another.
std::vector<SweepRow> resumed_sweep_rows(const std::string& checkpoint, const std::string& identity,
                                         size_t shard_rows) {
  std::error_code ec;
  if (!std::filesystem::exists(checkpoint, ec)) return {};
  SweepTable t = read_sweep_table(checkpoint, true);
  if (json_text(t.description) != identity)
    throw UsageError("--resume: " + checkpoint +
                     " belongs to a different sweep (grid, options or shard differ); remove it "
                     "or run without --resume");
  if (t.rows.size() > shard_rows) t.rows.resize(shard_rows);
  return t.rows;
}

bool append_checkpoint_line(std::FILE* f, const std::string& line) {
  return std::fwrite(line.data(), 1, line.size(), f) == line.size() && std::fflush(f) == 0;
}

// Measures rows mine[k] for k from table.rows.size() on, appending them to table.rows (and the
// checkpoint) in canonical order. Rows run in parallel, one whole row per OpenMP thread, each
// on one thread inside (nested regions, Eigen's GEMMs and the forward pass see one thread):
// the forward pass's statistics and Eigen's blocking depend on the thread count, so a row is
// computed the same way whatever OMP_NUM_THREADS is — and small points pay no meetings.
void measure_sweep_rows(const SweepGrid& grid, const std::vector<size_t>& mine,
                        const std::shared_ptr<const ImageDataset>& data, std::FILE* checkpoint,
                        const SweepRunOptions& opt, SweepTable& table) {
  const int64_t first = static_cast<int64_t>(table.rows.size());
  const int64_t n = static_cast<int64_t>(mine.size());
  std::vector<std::optional<SweepRow>> finished(mine.size());
  size_t next = table.rows.size();  // the next row to append, in canonical order
  bool write_failed = false;
  const auto t0 = std::chrono::steady_clock::now();
  // Points reuse buffers: a point's simulation frees what the next point of the same shape on
  // that thread allocates again (weights, packed weights, every layer's Z and A: ≈ 150 MB at
  // depth 50 × 500, batch 200). glibc's malloc gives blocks of ≥ 128 KB back to the kernel
  // (mmap, or trimming the arena's top), and the next point then faults every page in afresh
  // (≈ 37k faults a point); kept in the thread's arena they come back without faults.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's largest: blocks up to 32 MB from the arenas
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  RegionExceptions errors;
#pragma omp parallel for schedule(dynamic, 1) if (n - first > 1)
  for (int64_t k = first; k < n; ++k) {
    if (errors.failed()) continue;
    errors.capture([&] {
      omp_set_num_threads(1);
      SweepRow row = measure_sweep_row(grid, mine[static_cast<size_t>(k)], data);
#pragma omp critical(initscope_sweep_rows)
      {
        finished[static_cast<size_t>(k)] = std::move(row);
        while (next < mine.size() && finished[next]) {
          table.rows.push_back(std::move(*finished[next]));
          if (checkpoint && !append_checkpoint_line(checkpoint, sweep_row_line(table.rows.back())))
            write_failed = true;
          ++next;
          if (opt.progress)
            opt.progress(
                next, mine.size(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        }
      }
    });
  }
  errors.rethrow();
  if (write_failed) throw RuntimeError("cannot write the checkpoint (disk full?)");
}

}  // namespace

std::string sweep_checkpoint_path(const std::string& out) {
  return out + ".partial";
}

void run_sweep(const SweepGrid& grid, const SweepRunOptions& opt) {
  const SweepFormat format = sweep_format_of(sweep_to_stdout(opt.out) ? "-" : opt.out, "--out");
  if (opt.resume && sweep_to_stdout(opt.out))
    throw UsageError("--resume: needs --out FILE (the run continues from FILE.partial)");
  SweepTable table;
  table.description = grid.description(opt.shard);
  const std::string identity = json_text(table.description);
  std::vector<size_t> mine;
  for (size_t i = static_cast<size_t>(opt.shard.index); i < grid.rows();
       i += static_cast<size_t>(opt.shard.count))
    mine.push_back(i);
  std::error_code ec;
  const std::string checkpoint = sweep_to_stdout(opt.out) ? "" : sweep_checkpoint_path(opt.out);
  if (!sweep_to_stdout(opt.out)) {
    if (opt.resume && std::filesystem::exists(opt.out, ec)) {
      const SweepTable done = read_sweep_table(opt.out);
      if (json_text(done.description) != identity)
        throw UsageError("--resume: --out " + opt.out +
                         " belongs to a different sweep (grid, options or shard differ)");
      std::fprintf(stderr, "initscope: %s is complete (%zu rows); nothing to do\n", opt.out.c_str(),
                   done.rows.size());
      return;
    }
    check_writable(opt.out, opt.force);
  }
  // Missing data fails here, before a checkpoint exists.
  std::shared_ptr<const ImageDataset> data;
  if (grid.train_steps > 0)
    data = std::make_shared<const ImageDataset>(load_image_dataset(grid.base.training_data()));
  if (!sweep_to_stdout(opt.out)) {
    if (opt.resume) table.rows = resumed_sweep_rows(checkpoint, identity, mine.size());
    // The checkpoint restarted from what is kept: header and the resumed rows.
    std::string text = sweep_comment_line(table.description) + sweep_header_line(table.trained());
    for (const SweepRow& r : table.rows) text += sweep_row_line(r);
    write_file_atomic(checkpoint, text, true);
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(
      checkpoint.empty() ? nullptr : std::fopen(checkpoint.c_str(), "ab"), &std::fclose);
  if (!checkpoint.empty() && !file) throw RuntimeError(checkpoint + ": cannot open to append");
  measure_sweep_rows(grid, mine, data, file.get(), opt, table);
  file.reset();
  const std::string text = sweep_text(table, format);
  if (sweep_to_stdout(opt.out)) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  write_file_atomic(opt.out, text, opt.force);
  std::filesystem::remove(checkpoint, ec);
}

}  // namespace initscope
