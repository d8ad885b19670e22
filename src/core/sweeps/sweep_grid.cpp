// Parsing the --grid axes and --shard, and enumerating a sweep's rows (rules in sweep_grid.h).
#include "sweep_grid.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "core/did_you_mean.h"
#include "core/error.h"
#include "core/limits.h"

namespace initscope {
namespace {

// Ranges longer than this are a typo, not a sweep (1e6 rows are days of work).
constexpr double kMaxSweepValues = 1000000;

std::string sweep_number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

bool sweep_integer_axis(SweepAxisName n) {
  return n == SweepAxisName::Depth || n == SweepAxisName::Width || n == SweepAxisName::Batch ||
         n == SweepAxisName::Seed;
}

bool sweep_spec_axis(SweepAxisName n) {
  return n == SweepAxisName::Activation || n == SweepAxisName::Init;
}

const Limit* sweep_axis_limit(SweepAxisName n) {
  switch (n) {
    case SweepAxisName::Depth:
      return &limits::kLayers;
    case SweepAxisName::Width:
      return &limits::kWidth;
    case SweepAxisName::Batch:
      return &limits::kBatch;
    case SweepAxisName::Seed:
      return &limits::kSeed;
    default:
      return nullptr;
  }
}

std::string sweep_grid_error(const std::string& text, const std::string& why) {
  return "--grid '" + quoted_prefix(text) + "': " + why;
}

// One value of a numeric axis, checked, in canonical text.
std::string checked_sweep_number(SweepAxisName n, const std::string& grid_text, double v) {
  const std::string name = sweep_axis_names()[static_cast<size_t>(n)];
  // σ_w² > 0 (variance_scaling's scale is positive), σ_b² ≥ 0; both ≤ 1e30 like every spec
  // parameter.
  const double lo = n == SweepAxisName::SigmaW2 ? 0 : -1;
  if (!(v > lo && v <= limits::kSpecParameter.hi) || (n == SweepAxisName::SigmaB2 && v < 0))
    throw UsageError(sweep_grid_error(
        grid_text, name + " " + sweep_number_text(v) + ": must be " +
                       (n == SweepAxisName::SigmaW2 ? "> 0" : ">= 0") + " and <= 1e30"));
  return sweep_number_text(v);
}

double sweep_grid_number(const std::string& name, const std::string& part, const char* what) {
  return parse_number("--grid " + name + " " + what, part, -1e300, 1e300);
}

// An integer axis's value from its text, by its option's limit (named --grid NAME).
std::string checked_sweep_integer(SweepAxisName n, const std::string& v) {
  const std::string option = "--grid " + sweep_axis_names()[static_cast<size_t>(n)];
  Limit limit = *sweep_axis_limit(n);
  limit.option = option.c_str();
  return std::to_string(limit.parse_int(v));
}

// START:STOP:STEP, STOP included when within 1e-9 of a step; values rounded to 12 digits.
std::vector<std::string> sweep_range_values(SweepAxisName n, const std::string& text,
                                            const std::string& spec) {
  const size_t a = spec.find(':'), b = spec.find(':', a + 1);
  if (b == std::string::npos || spec.find(':', b + 1) != std::string::npos)
    throw UsageError(sweep_grid_error(text, "a range is START:STOP:STEP"));
  const std::string name = sweep_axis_names()[static_cast<size_t>(n)];
  const double start = sweep_grid_number(name, spec.substr(0, a), "START");
  const double stop = sweep_grid_number(name, spec.substr(a + 1, b - a - 1), "STOP");
  const double step = sweep_grid_number(name, spec.substr(b + 1), "STEP");
  if (!(step > 0)) throw UsageError(sweep_grid_error(text, "STEP must be > 0"));
  if (stop < start) throw UsageError(sweep_grid_error(text, "empty range: STOP is below START"));
  const double count = std::floor((stop - start) / step + 1e-9) + 1;
  if (count > kMaxSweepValues)
    throw UsageError(sweep_grid_error(text, "more than 1000000 values; use a larger STEP"));
  std::vector<std::string> values;
  for (int64_t i = 0; i < static_cast<int64_t>(count); ++i) {
    const double v = std::stod(sweep_number_text(start + static_cast<double>(i) * step));
    if (sweep_integer_axis(n) && v != std::floor(v))
      throw UsageError(
          sweep_grid_error(text, name + " " + sweep_number_text(v) + ": must be an integer"));
    values.push_back(sweep_integer_axis(n) ? checked_sweep_integer(n, sweep_number_text(v))
                                           : checked_sweep_number(n, text, v));
  }
  return values;
}

std::vector<std::string> sweep_list_values(SweepAxisName n, const std::string& text,
                                           const std::string& spec) {
  const char sep = spec.find(';') != std::string::npos ? ';' : ',';
  std::vector<std::string> values;
  size_t start = 0;
  while (true) {
    const size_t end = spec.find(sep, start);
    std::string v = spec.substr(start, end == std::string::npos ? std::string::npos : end - start);
    while (!v.empty() && v.front() == ' ') v.erase(v.begin());
    while (!v.empty() && v.back() == ' ') v.pop_back();
    if (v.empty()) throw UsageError(sweep_grid_error(text, "an empty value in the list"));
    const std::string name = sweep_axis_names()[static_cast<size_t>(n)];
    if (n == SweepAxisName::Activation)
      values.push_back(Activation::parse(v, "--grid activation").name());
    else if (n == SweepAxisName::Init)
      values.push_back(InitSpec::parse(v, "--grid init").text);
    else if (sweep_integer_axis(n))
      values.push_back(checked_sweep_integer(n, v));
    else
      values.push_back(
          checked_sweep_number(n, text, parse_number("--grid " + name, v, -1e300, 1e300)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return values;
}

}  // namespace

const std::vector<std::string>& sweep_axis_names() {
  static const std::vector<std::string> names{"sigma_w2", "sigma_b2",   "depth", "width",
                                              "batch",    "activation", "init",  "seed"};
  return names;
}

SweepAxis parse_sweep_axis(const std::string& text) {
  const size_t eq = text.find('=');
  const std::string name = text.substr(0, eq);
  const auto& names = sweep_axis_names();
  size_t k = 0;
  while (k < names.size() && names[k] != name) ++k;
  if (k == names.size()) {
    std::string allowed;
    for (const auto& n : names) allowed += (allowed.empty() ? "" : ", ") + n;
    throw UsageError(sweep_grid_error(text, "unknown name '" + quoted_prefix(name) + "'; " +
                                                did_you_mean(name, names) + "allowed: " + allowed));
  }
  if (eq == std::string::npos || eq + 1 == text.size())
    throw UsageError(sweep_grid_error(text, "give NAME=START:STOP:STEP or NAME=v1,v2,..."));
  SweepAxis axis;
  axis.name = static_cast<SweepAxisName>(k);
  const std::string spec = text.substr(eq + 1);
  const bool range = !sweep_spec_axis(axis.name) && spec.find(':') != std::string::npos;
  axis.values =
      range ? sweep_range_values(axis.name, text, spec) : sweep_list_values(axis.name, text, spec);
  return axis;
}

SweepShard parse_sweep_shard(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos)
    throw UsageError("--shard '" + quoted_prefix(text) +
                     "': must be K/N, K from 0 to N-1 (0-based), e.g. 0/4");
  SweepShard s;
  s.count = static_cast<int>(parse_integer("--shard N", text.substr(slash + 1), 1, 1000000));
  s.index = static_cast<int>(parse_integer("--shard K", text.substr(0, slash), 0, 1000000));
  if (s.index >= s.count)
    throw UsageError("--shard '" + quoted_prefix(text) + "': K must be below N (K from 0 to " +
                     std::to_string(s.count - 1) + ", 0-based)");
  return s;
}

namespace {

// Row experiment: the value of one axis applied.
void apply_axis_value(SweepAxisName n, const std::string& v, Experiment& e) {
  switch (n) {
    case SweepAxisName::SigmaW2:
      e.inits = {InitSpec::parse(
          "variance_scaling:scale=" + v + ",mode=fan_in,distribution=untruncated_normal",
          "--grid sigma_w2")};
      break;
    case SweepAxisName::SigmaB2: {
      const double b2 = std::stod(v);
      char buf[48];
      std::snprintf(buf, sizeof buf, "normal:std=%.17g", std::sqrt(b2));
      if (b2 > 0)
        e.bias = InitSpec::parse(buf, "--grid sigma_b2");
      else
        e.bias.reset();
      break;
    }
    case SweepAxisName::Depth:
      e.layers = std::stoi(v);
      if (e.widths.size() > 1) e.widths = {e.widths.front()};  // per-layer widths: the first
      break;
    case SweepAxisName::Width:
      e.widths = {std::stoi(v)};
      break;
    case SweepAxisName::Batch:
      e.batch = std::stoi(v);
      break;
    case SweepAxisName::Activation:
      e.activation = Activation::parse(v, "--grid activation");
      break;
    case SweepAxisName::Init:
      e.inits = {InitSpec::parse(v, "--grid init")};
      break;
    case SweepAxisName::Seed:
      e.seed = std::stoull(v);
      break;
  }
}

}  // namespace

SweepGrid SweepGrid::make(Experiment base, const std::vector<std::string>& grid_options, int seeds,
                          double pair_correlation, int64_t train_steps) {
  SweepGrid g;
  base.inits.resize(1);  // the network is the first column
  base.gradients = true;
  base.updates = 1;
  g.base = std::move(base);
  g.seeds = static_cast<int>(parse_integer("--seeds", std::to_string(seeds), 1, 1000000));
  if (!(pair_correlation >= -1 && pair_correlation <= 1))
    throw UsageError("--pair-correlation " + sweep_number_text(pair_correlation) +
                     ": must be a number from -1 to 1");
  g.pair_correlation = pair_correlation;
  g.train_steps = train_steps;
  std::vector<bool> given(sweep_axis_names().size(), false);
  for (const std::string& text : grid_options) {
    SweepAxis axis = parse_sweep_axis(text);
    const size_t k = static_cast<size_t>(axis.name);
    if (given[k])
      throw UsageError(sweep_grid_error(text, sweep_axis_names()[k] + " is already a grid axis"));
    given[k] = true;
    g.axes.push_back(std::move(axis));
  }
  std::sort(g.axes.begin(), g.axes.end(),
            [](const SweepAxis& a, const SweepAxis& b) { return a.name < b.name; });
  if (given[size_t(SweepAxisName::SigmaW2)] && given[size_t(SweepAxisName::Init)])
    throw UsageError("--grid sigma_w2 and --grid init: give one (sigma_w2 sets the init)");
  if (given[size_t(SweepAxisName::Seed)] && g.seeds > 1)
    throw UsageError("--seeds " + std::to_string(g.seeds) +
                     " with --grid seed: give one (--seeds K repeats seed, seed+1, ...)");
  if (g.rows() > static_cast<size_t>(kMaxSweepValues))
    throw UsageError("--grid: " + std::to_string(g.rows()) +
                     " rows (points x seeds); at most 1000000");
  for (size_t i = 0; i < g.rows(); i += static_cast<size_t>(g.seeds)) {
    const Experiment e = g.row_experiment(i);
    if (e.batch < 2)
      throw UsageError("--batch " + std::to_string(e.batch) +
                       ": a sweep measures pairs of inputs; give 2 or more");
    if (!e.all_plain())
      throw UsageError(
          "sweep: plain networks only (no --norm, --residual or architecture in "
          "the init spec '" +
          quoted_prefix(e.inits.front().text) + "')");
  }
  return g;
}

Experiment SweepGrid::row_experiment(size_t row) const {
  Experiment e = base;
  size_t point = row / static_cast<size_t>(seeds);
  const uint64_t repeat = row % static_cast<size_t>(seeds);
  std::vector<size_t> index(axes.size());
  for (size_t a = axes.size(); a-- > 0;) {
    index[a] = point % axes[a].values.size();
    point /= axes[a].values.size();
  }
  for (size_t a = 0; a < axes.size(); ++a)
    apply_axis_value(axes[a].name, axes[a].values[index[a]], e);
  e.seed += repeat;
  e.validate();
  return e;
}

nlohmann::ordered_json SweepGrid::description(const SweepShard& shard) const {
  nlohmann::ordered_json d;
  nlohmann::ordered_json grid = nlohmann::ordered_json::object();
  for (const SweepAxis& a : axes) {
    nlohmann::ordered_json values = nlohmann::ordered_json::array();
    for (const std::string& v : a.values) {
      if (sweep_spec_axis(a.name))
        values.push_back(v);
      else if (sweep_integer_axis(a.name))
        values.push_back(std::stoull(v));
      else
        values.push_back(std::stod(v));
    }
    grid[sweep_axis_names()[static_cast<size_t>(a.name)]] = std::move(values);
  }
  d["grid"] = std::move(grid);
  d["seeds"] = seeds;
  d["pair_correlation"] = pair_correlation;
  d["train_steps"] = train_steps;
  d["rows"] = rows();
  nlohmann::ordered_json exp = base.to_json();
  for (const char* key : {"preset", "title", "narrative"}) exp.erase(key);
  d["experiment"] = std::move(exp);
  if (!shard.whole()) d["shard"] = shard.text();
  return d;
}

size_t SweepGrid::points() const {
  size_t n = 1;
  for (const SweepAxis& a : axes) n *= a.values.size();
  return n;
}

}  // namespace initscope
