#include "sweep_cells.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "core/error.h"
#include "core/json_text.h"
#include "core/training/image_dataset.h"

namespace initscope {
namespace {

constexpr double kCellsNaN = std::numeric_limits<double>::quiet_NaN();

// The index of column `name` in the file's columns, or −1.
int cells_column_index(const SweepTable& t, const std::string& name) {
  const std::vector<std::string>& cols = sweep_columns(t.trained());
  for (size_t i = 0; i < cols.size(); ++i)
    if (cols[i] == name) return static_cast<int>(i);
  return -1;
}
const std::string& cells_text_at(const SweepTable& t, size_t row, int col) {
  return t.rows[row].cells[static_cast<size_t>(col)];
}
// A cell as a number ("nan", "inf" as written by sweep_cell); NaN for anything else.
double cells_number_at(const SweepTable& t, size_t row, int col) {
  const std::string& s = cells_text_at(t, row, col);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  return s.empty() || end != s.c_str() + s.size() ? kCellsNaN : v;
}

bool cells_is_axis(const std::string& name) {
  return std::any_of(std::begin(kSweepAxisColumns), std::end(kSweepAxisColumns),
                     [&](const char* a) { return name == a; });
}

std::string cells_axis_names() {
  std::string s;
  for (const char* a : kSweepAxisColumns) s += (s.empty() ? "" : ", ") + std::string(a);
  return s;
}

// The shortest text that reads back to v ("" for NaN).
std::string cells_number_text(double v) {
  if (std::isnan(v)) return "";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// The distinct values of a numeric axis column, ascending; UsageError when one is not a number.
std::vector<double> cells_axis_values(const SweepTable& t, int col, const std::string& option) {
  std::set<double> v;
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const double x = cells_number_at(t, r, col);
    if (!std::isfinite(x))
      throw UsageError(option + " " + sweep_columns(t.trained())[size_t(col)] + ": row " +
                       std::to_string(r + 1) + " has '" + cells_text_at(t, r, col) +
                       "', not a number");
    v.insert(x);
  }
  return {v.begin(), v.end()};
}

int cells_axis_column(const SweepTable& t, const std::string& name, const std::string& option) {
  if (!cells_is_axis(name))
    throw UsageError(option + " '" + name + "': not a grid column; use " + cells_axis_names());
  const int col = cells_column_index(t, name);
  if (col < 0) throw UsageError(option + " '" + name + "': the sweep file has no such column");
  return col;
}

// The one value a fixed setting takes, or a UsageError naming the values when it varies.
std::string cells_fixed_text(const SweepTable& t, int col) {
  std::set<std::string> v;
  for (const SweepRow& row : t.rows) v.insert(row.cells[size_t(col)]);
  if (v.size() > 1) {
    std::string list;
    for (const auto& s : v) list += (list.empty() ? "" : ", ") + s;
    throw UsageError("--x/--y: the sweep also varies " + sweep_columns(t.trained())[size_t(col)] +
                     " (" + list + "); put it on an axis or plot a sweep that holds it fixed");
  }
  return v.empty() ? "" : *v.begin();
}

// "500 steps, adam lr 0.0001, batch 64, Fashion-MNIST" from the description (a value missing
// from it is left out).
std::string cells_training_text(const SweepTable& t) {
  const nlohmann::ordered_json& d = t.description;
  std::string text;
  if (d.contains("train_steps") && d["train_steps"].is_number_integer())
    text = std::to_string(d["train_steps"].get<int64_t>()) + " steps";
  if (!d.contains("experiment") || !d["experiment"].contains("training")) return text;
  const nlohmann::ordered_json& tr = d["experiment"]["training"];
  auto add = [&](const std::string& part) { text += (text.empty() ? "" : ", ") + part; };
  if (tr.contains("optimizer") && tr["optimizer"].is_string()) {
    std::string opt = tr["optimizer"].get<std::string>();
    if (tr.contains("lr") && tr["lr"].is_number()) {
      char lr[32];
      std::snprintf(lr, sizeof lr, "%g", tr["lr"].get<double>());
      opt += std::string(" lr ") + lr;
    }
    add(opt);
  }
  if (tr.contains("batch") && tr["batch"].is_number_integer())
    add("batch " + std::to_string(tr["batch"].get<int>()));
  if (tr.contains("data") && tr["data"].is_string()) {
    const std::string data = tr["data"].get<std::string>();
    add(data == kFashionMnistDir ? std::string("Fashion-MNIST") : data);
  }
  return text;
}

size_t cells_index_of(const std::vector<double>& v, double x) {
  return static_cast<size_t>(std::lower_bound(v.begin(), v.end(), x) - v.begin());
}

}  // namespace

SweepCells sweep_cells(const SweepTable& t, const std::string& x, const std::string& y,
                       const std::string& value) {
  SweepCells c;
  c.x_name = x, c.y_name = y, c.value_name = value;
  const int cx = cells_axis_column(t, x, "--x"), cy = cells_axis_column(t, y, "--y");
  if (x == y) throw UsageError("--y '" + y + "': the same column as --x; choose another");
  const int cv = cells_column_index(t, value);
  if (cv < 0) throw UsageError("--value '" + value + "': the sweep file has no such column");
  if (value == x || value == y || value == "activation" || value == "seed")
    throw UsageError("--value '" + value +
                     "': a setting, not a measured column; use e.g. xi_c_measured or chi1");
  if (t.rows.empty()) throw UsageError("--from: the sweep file has no rows");
  c.xs = cells_axis_values(t, cx, "--x");
  c.ys = cells_axis_values(t, cy, "--y");
  for (const auto& [vals, opt, name] : {std::tuple{&c.xs, "--x", &x}, std::tuple{&c.ys, "--y", &y}})
    if (vals->size() < 2)
      throw UsageError(std::string(opt) + " " + *name + ": the sweep has " +
                       std::to_string(vals->size()) +
                       " value of it; a heatmap axis needs at least 2");
  // The other settings must be fixed (one network per cell): read them for the title.
  auto fixed = [&](const std::string& s) -> std::string {
    const int col = cells_column_index(t, s);
    return col < 0 || s == x || s == y ? "" : cells_fixed_text(t, col);
  };
  auto fixed_number = [&](const std::string& s) {
    const std::string v = fixed(s);
    return v.empty() ? kCellsNaN : std::strtod(v.c_str(), nullptr);
  };
  // Axes of the grid that are no column (batch, init, …) must not vary either.
  if (t.description.contains("grid") && t.description["grid"].is_object())
    for (const auto& [axis, values] : t.description["grid"].items())
      if (axis != x && axis != y && axis != "seed" && values.is_array() && values.size() > 1)
        throw UsageError("--x/--y: the sweep also varies " + axis + " (" +
                         std::to_string(values.size()) +
                         " values); put it on an axis or plot a sweep that holds it fixed");
  c.activation = fixed("activation");
  fixed("sigma_w2");
  c.sigma_b2 = fixed_number("sigma_b2");
  c.depth = fixed_number("depth");
  c.width = fixed_number("width");
  if (const int cs = cells_column_index(t, "seed"); cs >= 0) {
    std::set<std::string> seeds;
    for (const SweepRow& row : t.rows) seeds.insert(row.cells[size_t(cs)]);
    c.seeds = static_cast<int>(seeds.size());
  }
  if (value == "train_accuracy" || value == "test_accuracy") c.training = cells_training_text(t);
  const size_t nx = c.xs.size(), ny = c.ys.size();
  std::vector<double> sum(nx * ny, 0.0), theory_sum(nx, 0.0);
  std::vector<int> theory_n(nx, 0);
  c.rows.assign(nx * ny, 0);
  const int ct = cells_column_index(t, "xi_c_theory");
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const size_t ix = cells_index_of(c.xs, cells_number_at(t, r, cx)),
                 iy = cells_index_of(c.ys, cells_number_at(t, r, cy));
    const double v = cells_number_at(t, r, cv);
    if (!std::isnan(v)) sum[iy * nx + ix] += v, ++c.rows[iy * nx + ix];
    const double xi = ct >= 0 ? cells_number_at(t, r, ct) : kCellsNaN;
    if (!std::isnan(xi)) theory_sum[ix] += xi, ++theory_n[ix];
  }
  c.mean.resize(nx * ny);
  for (size_t i = 0; i < nx * ny; ++i) c.mean[i] = c.rows[i] > 0 ? sum[i] / c.rows[i] : kCellsNaN;
  if (ct >= 0) {
    c.xi_c_theory.resize(nx);
    for (size_t i = 0; i < nx; ++i)
      c.xi_c_theory[i] = theory_n[i] > 0 ? theory_sum[i] / theory_n[i] : kCellsNaN;
  }
  return c;
}

std::string sweep_cells_csv(const SweepCells& c) {
  std::string s = c.x_name + "," + c.y_name + "," + c.value_name + ",rows\n";
  for (size_t iy = 0; iy < c.ys.size(); ++iy)
    for (size_t ix = 0; ix < c.xs.size(); ++ix)
      s += cells_number_text(c.xs[ix]) + "," + cells_number_text(c.ys[iy]) + "," +
           cells_number_text(c.at(ix, iy)) + "," + std::to_string(c.rows[iy * c.xs.size() + ix]) +
           "\n";
  return s;
}

std::string sweep_cells_json(const SweepCells& c) {
  nlohmann::ordered_json j;
  j["x"] = c.x_name;
  j["y"] = c.y_name;
  j["value"] = c.value_name;
  j["xs"] = c.xs;
  j["ys"] = c.ys;
  nlohmann::ordered_json mean = nlohmann::ordered_json::array(),
                         rows = nlohmann::ordered_json::array();
  for (size_t iy = 0; iy < c.ys.size(); ++iy) {
    nlohmann::ordered_json m = nlohmann::ordered_json::array(), n = m;
    for (size_t ix = 0; ix < c.xs.size(); ++ix) {
      m.push_back(number_or_null(c.at(ix, iy)));
      n.push_back(c.rows[iy * c.xs.size() + ix]);
    }
    mean.push_back(m);
    rows.push_back(n);
  }
  j["mean"] = mean;
  j["rows"] = rows;
  return json_text(j, 1) + "\n";
}

}  // namespace initscope
