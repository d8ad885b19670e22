#include "sweep_table.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "core/error.h"
#include "core/file_io.h"
#include "core/limits.h"

namespace initscope {
namespace {

// A sweep of 10⁶ rows of ~200 bytes; larger files are refused rather than read into memory.
constexpr size_t kSweepCsvBytes = size_t(256) << 20;

std::vector<std::string> split_sweep_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (true) {
    const size_t comma = line.find(',', start);
    cells.push_back(line.substr(start, comma == std::string::npos ? comma : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

}  // namespace

int SweepCsvTable::column(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<int>(i);
  return -1;
}

double SweepCsvTable::number(size_t row, int col) const {
  const std::string& s = rows[row][static_cast<size_t>(col)];
  if (s.empty()) return std::numeric_limits<double>::quiet_NaN();
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::numeric_limits<double>::quiet_NaN();
  return v;
}

SweepCsvTable parse_sweep_csv(const std::string& text, const std::string& origin) {
  SweepCsvTable t;
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line[0] == '#') {
      t.comments.push_back(line.substr(line.size() > 1 && line[1] == ' ' ? 2 : 1));
      continue;
    }
    std::vector<std::string> cells = split_sweep_csv_line(line);
    const std::string where = origin + " line " + std::to_string(line_no);
    if (t.columns.empty()) {
      for (size_t i = 0; i < cells.size(); ++i) {
        if (cells[i].empty()) throw UsageError(where + ": the header has an empty column name");
        for (size_t j = 0; j < i; ++j)
          if (cells[j] == cells[i])
            throw UsageError(where + ": the header names column '" + cells[i] + "' twice");
      }
      t.columns = std::move(cells);
      continue;
    }
    if (cells.size() != t.columns.size())
      throw UsageError(where + ": " + std::to_string(cells.size()) + " cells, the header has " +
                       std::to_string(t.columns.size()) + " columns");
    t.rows.push_back(std::move(cells));
  }
  if (t.columns.empty())
    throw UsageError(origin + ": no header row (is it a file written by `initscope sweep`?)");
  return t;
}

SweepCsvTable read_sweep_csv(const std::string& path, const std::string& option) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw UsageError(option + " '" + quoted_prefix(path) +
                     "': no such file (give the CSV file `initscope sweep --out` wrote)");
  try {
    return parse_sweep_csv(read_file(path, kSweepCsvBytes), option + " '" + path + "'");
  } catch (const RuntimeError& e) {
    throw UsageError(option + ": " + e.what());
  }
}

}  // namespace initscope
