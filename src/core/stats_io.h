#pragma once
// The `stats` contract (docs/ARCHITECTURE.md "The JSON contract"): the snapshot as JSON, CSV or a
// readable table.
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "snapshot.h"

namespace initscope {

nlohmann::ordered_json snapshot_json(const Snapshot& s);
std::string snapshot_csv(const Snapshot& s);    // one row per column × layer, with hist counts
std::string snapshot_table(const Snapshot& s);  // human-readable, one block per column

// CSV cells shared by every CSV initscope writes: a field quoted when it holds , " or a newline
// (RFC 4180), and a number with 9 significant digits (round-trips a float).
std::string csv_quote(const std::string& s);
std::string csv_number(double v);

}  // namespace initscope
