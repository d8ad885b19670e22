#include "stats_io.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
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
  std::ostringstream o;
  o << "init,layer,fan_in,fan_out,weight_mean,weight_std,"
       "preact_mean,preact_std,preact_min,preact_max,preact_nonfinite,"
       "act_mean,act_std,act_min,act_max,act_saturated,act_zero,act_dead,act_nonfinite,"
       "act_hist_lo,act_hist_hi,act_hist_below,act_hist_above,act_hist_counts\n";
  for (const ColumnStats& c : s.columns) {
    for (const LayerStats& l : c.layers) {
      const ValueStats& p = l.preact;
      const ValueStats& a = l.act;
      o << csv_quote(c.init) << ',' << l.layer << ',' << l.fan_in << ',' << l.fan_out << ','
        << csv_number(l.weight_mean) << ',' << csv_number(l.weight_std) << ',' << csv_number(p.mean)
        << ',' << csv_number(p.std) << ',' << csv_number(p.min) << ',' << csv_number(p.max) << ','
        << p.nonfinite << ',' << csv_number(a.mean) << ',' << csv_number(a.std) << ','
        << csv_number(a.min) << ',' << csv_number(a.max) << ',' << csv_number(a.saturated) << ','
        << csv_number(a.zero) << ',' << csv_number(a.dead) << ',' << a.nonfinite << ','
        << csv_number(a.hist.lo) << ',' << csv_number(a.hist.hi) << ',' << a.hist.below << ','
        << a.hist.above << ',';
      // Counts in one field, separated by spaces, so the CSV stays one row per layer.
      for (size_t i = 0; i < a.hist.counts.size(); ++i) o << (i ? " " : "") << a.hist.counts[i];
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
