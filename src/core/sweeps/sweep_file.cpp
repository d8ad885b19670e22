// Writing, reading and merging sweep files (formats in sweep_file.h).
#include "sweep_file.h"

#include <cstdlib>
#include <map>

#include "core/error.h"
#include "core/file_io.h"
#include "core/json_text.h"

namespace initscope {
namespace {

const char kCommentPrefix[] = "# initscope sweep ";

enum class SweepColumnKind { Number, Integer, Text };

SweepColumnKind sweep_column_kind(const std::string& name) {
  if (name == "activation") return SweepColumnKind::Text;
  if (name == "depth" || name == "width" || name == "seed") return SweepColumnKind::Integer;
  return SweepColumnKind::Number;
}

nlohmann::ordered_json cell_json(const std::string& column, const std::string& cell) {
  switch (sweep_column_kind(column)) {
    case SweepColumnKind::Text:
      return cell;
    case SweepColumnKind::Integer:
      return std::stoull(cell);
    case SweepColumnKind::Number:
      break;
  }
  return number_or_null(std::strtod(cell.c_str(), nullptr));
}

std::string json_cell(const std::string& column, const nlohmann::ordered_json& v,
                      const std::string& source) {
  const SweepColumnKind kind = sweep_column_kind(column);
  if (kind == SweepColumnKind::Text && v.is_string()) return v.get<std::string>();
  if (kind == SweepColumnKind::Integer && v.is_number_unsigned())
    return std::to_string(v.get<uint64_t>());
  if (kind == SweepColumnKind::Number && v.is_null()) return "nan";
  if (kind == SweepColumnKind::Number && v.is_number()) return sweep_cell(v.get<double>());
  throw UsageError(source + ": row value of \"" + column + "\" is " + json_excerpt(v) +
                   "; not a sweep file");
}

nlohmann::ordered_json parse_description(const std::string& text, const std::string& source) {
  nlohmann::ordered_json d = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!d.is_object() || !d.contains("grid") || !d.contains("rows") || !d.contains("train_steps"))
    throw UsageError(source + ": not a sweep file (no sweep description)");
  return d;
}

SweepTable parse_sweep_csv(const std::string& text, const std::string& source, bool partial) {
  SweepTable t;
  size_t at = 0;
  int line_no = 0;
  bool header_seen = false;
  std::vector<std::string> columns;
  while (at < text.size()) {
    const size_t end = text.find('\n', at);
    if (end == std::string::npos && partial) break;  // a line cut short by a stop
    const std::string line = text.substr(at, end == std::string::npos ? end : end - at);
    at = end == std::string::npos ? text.size() : end + 1;
    ++line_no;
    if (line_no == 1) {
      if (line.rfind(kCommentPrefix, 0) != 0)
        throw UsageError(source + ": not a sweep file (the first line is not '" +
                         std::string(kCommentPrefix) + "{...}')");
      t.description = parse_description(line.substr(sizeof kCommentPrefix - 1), source);
      columns = sweep_columns(t.trained());
      continue;
    }
    if (!line.empty() && line[0] == '#') continue;
    if (!header_seen) {
      if (line + "\n" != sweep_header_line(t.trained()))
        throw UsageError(source + ": line " + std::to_string(line_no) + " is not the header " +
                         sweep_header_line(t.trained()).substr(0, 40) + "...");
      header_seen = true;
      continue;
    }
    SweepRow row;
    size_t start = 0;
    while (true) {
      const size_t comma = line.find(',', start);
      row.cells.push_back(line.substr(start, comma == std::string::npos ? comma : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (row.cells.size() != columns.size())
      throw UsageError(source + ": line " + std::to_string(line_no) + " has " +
                       std::to_string(row.cells.size()) + " values, the header " +
                       std::to_string(columns.size()));
    t.rows.push_back(std::move(row));
  }
  if (line_no == 0) throw UsageError(source + ": empty; not a sweep file");
  return t;
}

SweepTable parse_sweep_json(const std::string& text, const std::string& source) {
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("sweep") || !j.contains("rows") || !j["rows"].is_array())
    throw UsageError(source + ": not a sweep file (no \"sweep\" and \"rows\")");
  SweepTable t;
  t.description = parse_description(j["sweep"].dump(), source);
  const std::vector<std::string>& columns = sweep_columns(t.trained());
  for (const auto& r : j["rows"]) {
    SweepRow row;
    for (const std::string& c : columns) {
      if (!r.is_object() || !r.contains(c))
        throw UsageError(source + ": a row has no \"" + c + "\"; not a sweep file");
      row.cells.push_back(json_cell(c, r[c], source));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

SweepFormat sweep_format_of(const std::string& path, const std::string& option) {
  auto ends_with = [&](const char* ext) {
    const std::string e(ext);
    return path.size() >= e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0;
  };
  if (ends_with(".json")) return SweepFormat::Json;
  if (ends_with(".csv") || path == "-") return SweepFormat::Csv;
  throw UsageError(option + " '" + quoted_prefix(path) +
                   "': give a file ending in .csv or .json (or - for standard output)");
}

bool SweepTable::trained() const {
  return description.contains("train_steps") && description["train_steps"].is_number() &&
         description["train_steps"].get<double>() > 0;
}

std::string sweep_comment_line(const nlohmann::ordered_json& description) {
  return kCommentPrefix + json_text(description) + "\n";
}

std::string sweep_header_line(bool trained) {
  std::string line;
  for (const std::string& c : sweep_columns(trained)) line += (line.empty() ? "" : ",") + c;
  return line + "\n";
}

std::string sweep_row_line(const SweepRow& row) {
  std::string line;
  for (size_t i = 0; i < row.cells.size(); ++i) line += (i ? "," : "") + row.cells[i];
  return line + "\n";
}

std::string sweep_text(const SweepTable& table, SweepFormat format) {
  if (format == SweepFormat::Csv) {
    std::string text = sweep_comment_line(table.description) + sweep_header_line(table.trained());
    for (const SweepRow& r : table.rows) text += sweep_row_line(r);
    return text;
  }
  const std::vector<std::string>& columns = sweep_columns(table.trained());
  nlohmann::ordered_json j;
  j["sweep"] = table.description;
  j["rows"] = nlohmann::ordered_json::array();
  for (const SweepRow& r : table.rows) {
    nlohmann::ordered_json row;
    for (size_t i = 0; i < columns.size(); ++i) row[columns[i]] = cell_json(columns[i], r.cells[i]);
    j["rows"].push_back(std::move(row));
  }
  return json_text(j, 1) + "\n";
}

SweepTable parse_sweep_table(const std::string& text, const std::string& source,
                             bool complete_lines_only) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] == '{') return parse_sweep_json(text, source);
  return parse_sweep_csv(text, source, complete_lines_only);
}

SweepTable read_sweep_table(const std::string& path, bool complete_lines_only) {
  // Up to 1 GB: a sweep of a million rows is ~200 MB of CSV.
  return parse_sweep_table(read_file(path, size_t{1} << 30), path, complete_lines_only);
}

nlohmann::ordered_json sweep_identity(const nlohmann::ordered_json& description,
                                      const std::string& source, int& index, int& count) {
  nlohmann::ordered_json id = description;
  index = 0;
  count = 1;
  if (id.contains("shard")) {
    const nlohmann::ordered_json s = id["shard"];
    id.erase("shard");
    const std::string text = s.is_string() ? s.get<std::string>() : "";
    const size_t slash = text.find('/');
    char* end = nullptr;
    index = slash == std::string::npos ? -1 : static_cast<int>(std::strtol(text.c_str(), &end, 10));
    count = slash == std::string::npos ? 0 : std::atoi(text.c_str() + slash + 1);
    if (index < 0 || count < 1 || index >= count)
      throw UsageError(source + ": shard " + json_excerpt(s) + " is not K/N with 0 <= K < N");
  }
  return id;
}

SweepTable merge_sweep_parts(const std::vector<std::string>& paths) {
  if (paths.empty()) throw UsageError("sweep-merge: give OUT and at least one part");
  std::vector<SweepTable> parts;
  std::map<int, std::string> by_index;
  std::string identity;
  int count = 0;
  for (const std::string& path : paths) {
    parts.push_back(read_sweep_table(path));
    int k = 0, n = 1;
    const std::string id = json_text(sweep_identity(parts.back().description, path, k, n));
    if (identity.empty()) {
      identity = id;
      count = n;
    } else if (id != identity) {
      throw UsageError(path + ": belongs to a different sweep than " + paths.front() +
                       " (grid or options differ)");
    } else if (n != count) {
      throw UsageError(path + ": is shard " + std::to_string(k) + "/" + std::to_string(n) + ", " +
                       paths.front() + " is of " + std::to_string(count) + " shards");
    }
    if (!by_index.emplace(k, path).second)
      throw UsageError(path + ": shard " + std::to_string(k) + "/" + std::to_string(n) +
                       " is given twice (also " + by_index[k] + ")");
  }
  for (int k = 0; k < count; ++k)
    if (!by_index.count(k))
      throw UsageError("sweep-merge: shard " + std::to_string(k) + "/" + std::to_string(count) +
                       " is missing (shards are 0-based)");
  SweepTable whole;
  whole.description = nlohmann::ordered_json::parse(identity);
  const size_t rows = whole.description["rows"].get<size_t>();
  for (size_t p = 0; p < parts.size(); ++p) {
    int k = 0, n = 1;
    sweep_identity(parts[p].description, paths[p], k, n);
    const size_t expected = rows > size_t(k) ? (rows - size_t(k) + size_t(n) - 1) / size_t(n) : 0;
    if (parts[p].rows.size() != expected)
      throw UsageError(paths[p] + ": has " + std::to_string(parts[p].rows.size()) +
                       " rows; shard " + std::to_string(k) + "/" + std::to_string(n) + " of " +
                       std::to_string(rows) + " rows has " + std::to_string(expected));
  }
  std::vector<const SweepTable*> of_index(static_cast<size_t>(count));
  for (size_t p = 0; p < parts.size(); ++p) {
    int k = 0, n = 1;
    sweep_identity(parts[p].description, paths[p], k, n);
    of_index[static_cast<size_t>(k)] = &parts[p];
  }
  for (size_t i = 0; i < rows; ++i)
    whole.rows.push_back(of_index[i % size_t(count)]->rows[i / size_t(count)]);
  return whole;
}

}  // namespace initscope
