#include "stats_io.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "core/theory/mean_field.h"
#include "experiment_heading.h"
#include "json_text.h"

namespace initscope {
namespace {

using ojson = nlohmann::ordered_json;

ojson hist_json(const Histogram& h) {
  ojson j;
  j["lo"] = h.lo;
  j["hi"] = h.hi;
  j["counts"] = h.counts;
  j["below"] = h.below;
  j["above"] = h.above;
  return j;
}

ojson values_json(const ValueStats& v) {
  ojson j;
  j["mean"] = v.mean;
  j["std"] = v.std;
  j["min"] = v.min;
  j["max"] = v.max;
  j["saturated"] = v.saturated;
  j["zero"] = v.zero;
  j["dead"] = v.dead;
  j["nonfinite"] = v.nonfinite;
  j["count"] = v.count;
  j["hist"] = hist_json(v.hist);
  return j;
}

// Signal propagation of the layer's output (Brock, De & Smith 2021): the average over channels
// of the squared channel mean and of the channel variance, and the branch's channel variance.
ojson signal_json(const LayerStats& l) {
  return {{"channel_sq_mean", number_or_null(l.channel_sq_mean)},
          {"channel_var", number_or_null(l.channel_var)},
          {"branch_channel_var", number_or_null(l.branch_channel_var)}};
}

// Whether any layer has normalized values or a branch: the experiment is residual or normalized
// (in some column), and CSV and table carry the extra columns.
bool snapshot_has_architecture(const Snapshot& s) {
  for (const ColumnStats& c : s.columns)
    for (const LayerStats& l : c.layers)
      if (l.has_normed || l.has_branch) return true;
  return false;
}

// The CSV columns of one quantity, act's set: "<q>_mean,…,<q>_hist_counts".
std::string csv_value_header(const std::string& q) {
  std::string h;
  for (const char* field : {"mean", "std", "min", "max", "saturated", "zero", "dead", "nonfinite",
                            "hist_lo", "hist_hi", "hist_below", "hist_above", "hist_counts"}) {
    if (!h.empty()) h += ',';
    h += q + "_" + field;
  }
  return h;
}

// Those 13 cells; empty cells when the layer has no such values (v null: the projection has no
// branch, a layer without a norm no normalized values).
void csv_value_cells(std::ostream& o, const ValueStats* v) {
  if (!v) {
    o << std::string(12, ',');
    return;
  }
  const ValueStats& a = *v;
  o << csv_number(a.mean) << ',' << csv_number(a.std) << ',' << csv_number(a.min) << ','
    << csv_number(a.max) << ',' << csv_number(a.saturated) << ',' << csv_number(a.zero) << ','
    << csv_number(a.dead) << ',' << a.nonfinite << ',' << csv_number(a.hist.lo) << ','
    << csv_number(a.hist.hi) << ',' << a.hist.below << ',' << a.hist.above << ',';
  // Counts in one field, separated by spaces, so the CSV stays one row per layer.
  for (size_t i = 0; i < a.hist.counts.size(); ++i) o << (i ? " " : "") << a.hist.counts[i];
}

// A number, or an empty cell where the JSON has null (not measured).
std::string csv_number_or_empty(double v) {
  return std::isfinite(v) ? csv_number(v) : std::string();
}

std::string table_number(const char* format, double v) {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// The table's block of a residual / normalized column: the norm's output and the branch (std;
// "-" where the layer has none) and the signal propagation numbers.
void table_architecture_block(std::ostream& o, const ColumnStats& c) {
  char line[256];
  snprintf(line, sizeof line, "   architecture\n%5s %11s %11s %12s %12s %12s\n", "layer",
           "normed std", "branch std", "ch. mean^2", "ch. var", "branch var");
  o << line;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const LayerStats& l : c.layers) {
    snprintf(line, sizeof line, "%5d %11s %11s %12s %12s %12s\n", l.layer,
             table_number("%.4g", l.has_normed ? l.normed.std : nan).c_str(),
             table_number("%.4g", l.has_branch ? l.branch.std : nan).c_str(),
             table_number("%.4g", l.channel_sq_mean).c_str(),
             table_number("%.4g", l.channel_var).c_str(),
             table_number("%.4g", l.branch_channel_var).c_str());
    o << line;
  }
}

}  // namespace

ojson snapshot_json(const Snapshot& s) {
  ojson doc;
  doc["config"] = shown_config_json(s.experiment);
  ojson cols = ojson::array();
  for (size_t ci = 0; ci < s.columns.size(); ++ci) {
    const ColumnStats& c = s.columns[ci];
    // Mean-field prediction: per column (fixed point, phase) and per layer (q, stds).
    ojson theory = ci < s.theory.size() ? theory_json(s.theory[ci]) : ojson();
    ojson theory_layers =
        theory.is_object() && theory.contains("layers") ? theory["layers"] : ojson();
    if (theory.is_object()) theory.erase("layers");
    ojson cj;
    cj["init"] = c.init;
    cj["description"] = c.description;
    if (s.experiment.gradients) cj["loss"] = c.loss;
    if (!c.lsuv_rounds.empty()) cj["lsuv_rounds"] = c.lsuv_rounds;
    ojson layers = ojson::array();
    for (const LayerStats& l : c.layers) {
      ojson lj;
      lj["layer"] = l.layer;
      lj["fan_in"] = l.fan_in;
      lj["fan_out"] = l.fan_out;
      lj["weight"] = {{"mean", l.weight_mean}, {"std", l.weight_std}};
      lj["preact"] = values_json(l.preact);
      lj["act"] = values_json(l.act);
      if (l.has_normed) lj["normed"] = values_json(l.normed);
      if (l.has_branch) lj["branch"] = values_json(l.branch);
      lj["signal"] = signal_json(l);
      if (theory_layers.is_array() && static_cast<size_t>(l.layer - 1) < theory_layers.size()) {
        lj["theory"] = theory_layers[static_cast<size_t>(l.layer - 1)];
      }
      if (l.has_grad) {
        lj["grad"] = {{"act", values_json(l.grad_act)},
                      {"weight", values_json(l.grad_weight)},
                      {"norm", l.grad_norm},
                      {"ratio", l.grad_ratio}};
      }
      layers.push_back(std::move(lj));
    }
    cj["layers"] = std::move(layers);
    if (theory.is_object()) cj["theory"] = std::move(theory);
    cols.push_back(std::move(cj));
  }
  doc["columns"] = std::move(cols);
  return doc;
}

std::string snapshot_csv(const Snapshot& s) {
  const bool arch = snapshot_has_architecture(s);
  std::ostringstream o;
  o << "init,layer,fan_in,fan_out,weight_mean,weight_std,"
       "preact_mean,preact_std,preact_min,preact_max,preact_nonfinite,"
       "act_mean,act_std,act_min,act_max,act_saturated,act_zero,act_dead,act_nonfinite,"
       "act_hist_lo,act_hist_hi,act_hist_below,act_hist_above,act_hist_counts";
  // Residual / normalized experiments (and only they, so that a plain experiment's CSV is what
  // it always was): the JSON's `normed` and `branch` with act's columns, then its `signal`.
  if (arch) {
    o << ',' << csv_value_header("normed") << ',' << csv_value_header("branch")
      << ",channel_sq_mean,channel_var,branch_channel_var";
  }
  o << '\n';
  for (const ColumnStats& c : s.columns) {
    for (const LayerStats& l : c.layers) {
      const ValueStats& p = l.preact;
      o << csv_quote(c.init) << ',' << l.layer << ',' << l.fan_in << ',' << l.fan_out << ','
        << csv_number(l.weight_mean) << ',' << csv_number(l.weight_std) << ',' << csv_number(p.mean)
        << ',' << csv_number(p.std) << ',' << csv_number(p.min) << ',' << csv_number(p.max) << ','
        << p.nonfinite << ',';
      csv_value_cells(o, &l.act);
      if (arch) {
        o << ',';
        csv_value_cells(o, l.has_normed ? &l.normed : nullptr);
        o << ',';
        csv_value_cells(o, l.has_branch ? &l.branch : nullptr);
        o << ',' << csv_number_or_empty(l.channel_sq_mean) << ','
          << csv_number_or_empty(l.channel_var) << ',' << csv_number_or_empty(l.branch_channel_var);
      }
      o << '\n';
    }
  }
  return o.str();
}

std::string snapshot_table(const Snapshot& s) {
  std::ostringstream o;
  const Experiment& e = s.experiment;
  o << experiment_heading(e).title << "\n";
  o << e.summary() << "\n";
  char line[256];
  for (const ColumnStats& c : s.columns) {
    o << "\n== " << c.init << "   (" << c.description << ")\n";
    snprintf(line, sizeof line, "%5s %6s %6s %9s %10s %10s %9s %9s %6s %6s %6s %9s\n", "layer",
             "fan_in", "fan_out", "W std", "act mean", "act std", "min", "max", "sat%", "zero%",
             "dead%", "nonfinite");
    o << line;
    for (const LayerStats& l : c.layers) {
      const ValueStats& a = l.act;
      snprintf(line, sizeof line,
               "%5d %6d %6d %9.3g %10.3g %10.4g %9.3g %9.3g %6.1f %6.1f %6.1f %9llu\n", l.layer,
               l.fan_in, l.fan_out, l.weight_std, a.mean, a.std, a.min, a.max, 100 * a.saturated,
               100 * a.zero, 100 * a.dead, static_cast<unsigned long long>(a.nonfinite));
      o << line;
    }
    if (snapshot_has_architecture(s)) table_architecture_block(o, c);
    if (e.gradients && !c.layers.empty() && c.layers.front().has_grad) {
      snprintf(line, sizeof line, "   loss (%s) %.6g\n%5s %12s %12s %12s\n", e.loss.c_str(), c.loss,
               "layer", "dL/dA std", "|dL/dW|", "|dW|/|W|");
      o << line;
      for (const LayerStats& l : c.layers) {
        snprintf(line, sizeof line, "%5d %12.4g %12.4g %12.4g\n", l.layer, l.grad_act.std,
                 l.grad_norm, l.grad_ratio);
        o << line;
      }
    }
  }
  return o.str();
}

std::string csv_quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string csv_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

}  // namespace initscope
