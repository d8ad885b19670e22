#include "training_io.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/experiment_heading.h"
#include "core/stats_io.h"

namespace initscope {
namespace {

using ojson = nlohmann::ordered_json;

ojson number(double v) {
  return std::isfinite(v) ? ojson(v) : ojson(nullptr);
}

ojson number_list(const std::vector<double>& v) {
  ojson a = ojson::array();
  for (double x : v) a.push_back(number(x));
  return a;
}

std::string percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100 * v);
  return buf;
}

}  // namespace

std::string layer_sizes(const Experiment& e) {
  std::string s = std::to_string(e.resolved_input_dim());
  for (int l = 1; l <= e.layers; ++l) {
    s += '-';
    s += std::to_string(e.width(l));
  }
  return s;
}

ojson training_json(const TrainingSnapshot& s) {
  ojson doc;
  doc["config"] = shown_config_json(s.experiment);
  doc["data"] = {
      {"folder", s.data_folder}, {"train_images", s.train_images}, {"test_images", s.test_images}};
  doc["steps_per_epoch"] = s.steps_per_epoch;
  doc["steps"] = s.step;
  // The probe's per-layer statistics in exactly the `stats` JSON form.
  const ojson probe = s.probe.columns.empty() ? ojson() : snapshot_json(s.probe);
  ojson cols = ojson::array();
  for (size_t c = 0; c < s.columns.size(); ++c) {
    const ColumnHistory& h = s.columns[c];
    ojson cj;
    cj["init"] = h.init;
    if (c < s.probe.columns.size()) cj["description"] = s.probe.columns[c].description;
    const EpochResult* last = h.epochs.empty() ? nullptr : &h.epochs.back();
    cj["final_test_accuracy"] = last ? number(last->test_accuracy) : ojson(nullptr);
    cj["final_test_loss"] = last ? number(last->test_loss) : ojson(nullptr);
    cj["diverged"] = h.diverged;
    if (h.diverged) cj["diverged_at"] = h.diverged_at;
    ojson epochs = ojson::array();
    for (const EpochResult& r : h.epochs) {
      epochs.push_back({{"epoch", r.epoch},
                        {"step", r.step},
                        {"train_loss", number(r.train_loss)},
                        {"train_accuracy", number(r.train_accuracy)},
                        {"test_loss", number(r.test_loss)},
                        {"test_accuracy", number(r.test_accuracy)}});
    }
    cj["epochs"] = std::move(epochs);
    cj["train_loss"] = {{"step", h.loss_step}, {"loss", number_list(h.loss)}};
    if (!h.rbm_reconstruction.empty()) {
      ojson layers = ojson::array();
      for (const auto& per_epoch : h.rbm_reconstruction) layers.push_back(number_list(per_epoch));
      cj["rbm_reconstruction"] = std::move(layers);
    }
    if (c < s.probe.columns.size()) {
      cj["probe_loss"] = number(s.probe.columns[c].loss);
      cj["layers"] = probe["columns"][c]["layers"];
    }
    cols.push_back(std::move(cj));
  }
  doc["columns"] = std::move(cols);
  return doc;
}

std::string training_csv(const TrainingSnapshot& s) {
  std::ostringstream o;
  o << "init,epoch,step,train_loss,train_accuracy,test_loss,test_accuracy\n";
  for (const ColumnHistory& h : s.columns) {
    for (const EpochResult& r : h.epochs) {
      o << csv_quote(h.init) << ',' << r.epoch << ',' << r.step << ',' << csv_number(r.train_loss)
        << ',' << csv_number(r.train_accuracy) << ',' << csv_number(r.test_loss) << ','
        << csv_number(r.test_accuracy) << '\n';
    }
  }
  return o.str();
}

std::string training_table(const TrainingSnapshot& s) {
  std::ostringstream o;
  const Experiment& e = s.experiment;
  const TrainingConfig& t = *e.training;
  o << experiment_heading(e).title << "\n";
  char line[320];
  std::snprintf(
      line, sizeof line, "%s %s, %s lr %g, batch %d, %d epoch%s (%llu steps), seed %llu\n",
      e.activation.name().c_str(), layer_sizes(e).c_str(), t.optimizer.name().c_str(),
      t.optimizer.lr, t.batch, t.epochs, t.epochs == 1 ? "" : "s",
      static_cast<unsigned long long>(s.total_steps), static_cast<unsigned long long>(e.seed));
  o << line << "data " << s.data_folder << ": " << s.train_images << " training, " << s.test_images
    << " test images\n\n";
  size_t width = 4;
  for (const ColumnHistory& h : s.columns) width = std::max(width, h.init.size());
  const int w = static_cast<int>(width);
  std::snprintf(line, sizeof line, "%5s  %-*s %11s %10s %11s %10s\n", "epoch", w, "init",
                "train loss", "train acc", "test loss", "test acc");
  o << line;
  const int epochs = s.columns.empty() ? 0 : static_cast<int>(s.columns.front().epochs.size());
  for (int k = 0; k < epochs; ++k) {
    for (const ColumnHistory& h : s.columns) {
      const EpochResult& r = h.epochs[k];
      std::snprintf(line, sizeof line, "%5d  %-*s %11.4g %10s %11.4g %10s%s\n", r.epoch, w,
                    h.init.c_str(), r.train_loss, percent(r.train_accuracy).c_str(), r.test_loss,
                    percent(r.test_accuracy).c_str(),
                    h.diverged && h.diverged_at <= r.step ? "  (diverged)" : "");
      o << line;
    }
  }
  o << "\nfinal test accuracy:";
  for (const ColumnHistory& h : s.columns) {
    o << "  " << h.init << " "
      << (h.epochs.empty() ? std::string("-") : percent(h.epochs.back().test_accuracy));
  }
  o << "\n";
  return o.str();
}

std::string epoch_line(const TrainingSnapshot& s) {
  std::string line = "epoch " + std::to_string(s.epoch) + "/" +
                     std::to_string(s.experiment.training ? s.experiment.training->epochs : 0) +
                     ": test accuracy";
  for (const ColumnHistory& h : s.columns) {
    line += " " + h.init + " " +
            (h.epochs.empty() ? std::string("-") : percent(h.epochs.back().test_accuracy));
    if (h.diverged) line += " (diverged)";
  }
  return line;
}

}  // namespace initscope
