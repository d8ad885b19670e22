#pragma once
// The `stats` contract (DESIGN.md): the snapshot as JSON, CSV or a readable table.
#include <nlohmann/json.hpp>
#include <string>

#include "simulation.h"

namespace initscope {

nlohmann::ordered_json snapshot_json(const Snapshot& s);
std::string snapshot_csv(const Snapshot& s);    // one row per column × layer, with hist counts
std::string snapshot_table(const Snapshot& s);  // human-readable, one block per column

}  // namespace initscope
