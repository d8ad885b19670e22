#pragma once
// The files of a sweep (issue 15): CSV or JSON, a part (--shard) or the whole, and merging parts.
//
// CSV:   # initscope sweep {DESCRIPTION}        (SweepGrid::description, one line of JSON)
//        sigma_w2,sigma_b2,…                    (sweep_columns)
//        one line per row, in the grid's canonical order
// (lines starting with '#' are comments; readers skip any after the first).
// JSON:  {"sweep": {DESCRIPTION}, "rows": [{COLUMN: value, …}, …]}, numbers as numbers,
//        activation a string, inf/nan as null.
// A part's description ends with "shard": "K/N"; it holds rows K, K+N, K+2N, … of the whole.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sweep_row.h"

namespace initscope {

enum class SweepFormat { Csv, Json };

// .json → Json; .csv or "-" (standard output) → Csv; anything else: UsageError naming `option`.
SweepFormat sweep_format_of(const std::string& path, const std::string& option);

struct SweepTable {
  nlohmann::ordered_json description;
  std::vector<SweepRow> rows;
  bool trained() const;  // description's train_steps > 0: the accuracy columns
};

// The first line of a CSV: "# initscope sweep " + the description's JSON + "\n".
std::string sweep_comment_line(const nlohmann::ordered_json& description);
// The header line of the CSV ("sigma_w2,…\n").
std::string sweep_header_line(bool trained);
// One row's CSV line ("…\n").
std::string sweep_row_line(const SweepRow& row);

// The whole file's text.
std::string sweep_text(const SweepTable& table, SweepFormat format);

// Reads a sweep file (CSV or JSON, told apart by its first character). `complete_lines_only`:
// a CSV whose last line was cut short (a stopped run's checkpoint) loses that line instead of
// failing. Throws UsageError naming the file for anything that is not a sweep file.
SweepTable read_sweep_table(const std::string& path, bool complete_lines_only = false);
// Parses text as read_sweep_table does; `source` names it in errors.
SweepTable parse_sweep_table(const std::string& text, const std::string& source,
                             bool complete_lines_only = false);

// The description without its "shard" (the whole sweep's identity), and the part's shard
// (K/N; 0/1 for a whole file). Throws UsageError naming `source` for a malformed shard.
nlohmann::ordered_json sweep_identity(const nlohmann::ordered_json& description,
                                      const std::string& source, int& index, int& count);

// `initscope sweep-merge`: the parts must share one identity, be shards 0..N−1 of one N, each
// exactly once, each with all its rows. Returns the whole sweep, rows in canonical order —
// what the single-process run writes. UsageError naming the file and the fault otherwise.
SweepTable merge_sweep_parts(const std::vector<std::string>& paths);

}  // namespace initscope
