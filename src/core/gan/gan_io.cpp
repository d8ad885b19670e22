#include "gan_io.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/json_text.h"
#include "core/stats_io.h"

namespace initscope {
namespace {

nlohmann::ordered_json gan_number_array(const std::vector<double>& v) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (double x : v) a.push_back(number_or_null(x));
  return a;
}

// The epoch quality that ends at G step `step`, or null.
const GanEpochQuality* gan_quality_at(const GanColumnHistory& h, uint64_t step) {
  for (const GanEpochQuality& q : h.epochs)
    if (q.step == step) return &q;
  return nullptr;
}

}  // namespace

nlohmann::ordered_json gan_json(const GanSnapshot& s) {
  nlohmann::ordered_json j;
  j["config"] = s.config.to_json();
  j["columns"] = nlohmann::ordered_json::array();
  for (const GanColumnHistory& h : s.columns) {
    nlohmann::ordered_json c;
    c["init"] = h.init;
    nlohmann::ordered_json& curves = c["curves"];
    curves["step"] = h.step;
    curves["g_loss"] = gan_number_array(h.g_loss);
    curves["d_loss"] = gan_number_array(h.d_loss);
    curves["d_real"] = gan_number_array(h.d_real);
    curves["d_fake"] = gan_number_array(h.d_fake);
    curves["fooled"] = gan_number_array(h.fooled);
    c["epochs"] = nlohmann::ordered_json::array();
    for (const GanEpochQuality& q : h.epochs) {
      nlohmann::ordered_json e;
      e["epoch"] = q.epoch;
      e["confidence"] = number_or_null(q.confidence);
      e["class_entropy"] = number_or_null(q.class_entropy);
      e["fid"] = number_or_null(q.fid);
      c["epochs"].push_back(std::move(e));
    }
    c["diverged_at"] = h.diverged_at ? nlohmann::ordered_json(*h.diverged_at) : nullptr;
    j["columns"].push_back(std::move(c));
  }
  return j;
}

std::string gan_csv(const GanSnapshot& s) {
  std::ostringstream o;
  o << "init,step,g_loss,d_loss,d_real,d_fake,fooled,epoch,confidence,class_entropy,fid\n";
  for (const GanColumnHistory& h : s.columns) {
    for (size_t i = 0; i < h.step.size(); ++i) {
      o << csv_quote(h.init) << ',' << h.step[i] << ',' << csv_number(h.g_loss[i]) << ','
        << csv_number(h.d_loss[i]) << ',' << csv_number(h.d_real[i]) << ','
        << csv_number(h.d_fake[i]) << ',' << csv_number(h.fooled[i]);
      if (const GanEpochQuality* q = gan_quality_at(h, h.step[i])) {
        o << ',' << q->epoch << ',' << csv_number(q->confidence) << ','
          << csv_number(q->class_entropy) << ',' << csv_number(q->fid) << '\n';
      } else {
        o << ",,,,\n";
      }
    }
  }
  return o.str();
}

std::string gan_layer_sizes(int in, const std::vector<int>& hidden, int out) {
  std::string t = std::to_string(in);
  for (int w : hidden) {
    t += '-';
    t += std::to_string(w);
  }
  t += '-';
  t += std::to_string(out);
  return t;
}

std::string gan_table(const GanSnapshot& s) {
  std::ostringstream o;
  const GanConfig& c = s.config;
  const int image = s.image_rows * s.image_cols;
  char line[400];
  std::snprintf(line, sizeof line,
                "GAN: G %s, D %s, %s hidden; adam lr %g β₁ %g β₂ %g; batch %d, %d D step%s per G "
                "step; %d epoch%s (%llu G steps), seed %llu\n",
                gan_layer_sizes(c.latent, c.g_hidden, image).c_str(),
                gan_layer_sizes(image, c.d_hidden, 1).c_str(), c.hidden_activation.name().c_str(),
                c.optimizer.lr, c.optimizer.beta1, c.optimizer.beta2, c.batch, c.d_steps,
                c.d_steps == 1 ? "" : "s", c.epochs, c.epochs == 1 ? "" : "s",
                static_cast<unsigned long long>(s.total_steps),
                static_cast<unsigned long long>(c.seed));
  o << line << "data " << s.data_folder << ": " << s.train_images << " training images\n\n";
  size_t width = 4;
  for (const GanColumnHistory& h : s.columns) width = std::max(width, h.init.size());
  const int w = static_cast<int>(width);
  std::snprintf(line, sizeof line, "%-*s %8s %8s %8s %8s %7s %10s %8s %8s\n", w, "init", "G loss",
                "D loss", "D(x)", "D(G(z))", "fooled", "confidence", "entropy", "FID");
  o << line;
  for (const GanColumnHistory& h : s.columns) {
    if (h.step.empty()) {
      std::snprintf(line, sizeof line, "%-*s %8s", w, h.init.c_str(), "—");
    } else {
      std::snprintf(line, sizeof line, "%-*s %8.4f %8.4f %8.4f %8.4f %6.1f%%", w, h.init.c_str(),
                    h.g_loss.back(), h.d_loss.back(), h.d_real.back(), h.d_fake.back(),
                    100 * h.fooled.back());
    }
    o << line;
    if (!h.epochs.empty()) {
      const GanEpochQuality& q = h.epochs.back();
      std::snprintf(line, sizeof line, " %10.4f %8.4f %8.2f", q.confidence, q.class_entropy, q.fid);
      o << line;
    }
    if (h.diverged_at) o << "  diverged at step " << *h.diverged_at;
    o << "\n";
  }
  o << "\n(the last curve point: means over --log-every " << c.log_every << " G steps)\n";
  return o.str();
}

std::string gan_epoch_line(const GanSnapshot& s) {
  std::ostringstream o;
  o << "epoch " << s.epoch << "/" << s.config.epochs << ":";
  char buf[160];
  for (size_t i = 0; i < s.columns.size(); ++i) {
    const GanColumnHistory& h = s.columns[i];
    o << (i ? ", " : " ") << h.init;
    if (h.diverged_at) {
      o << " diverged at step " << *h.diverged_at;
    } else if (!h.step.empty()) {
      std::snprintf(buf, sizeof buf, " G %.3f D %.3f fooled %.0f%%", h.g_loss.back(),
                    h.d_loss.back(), 100 * h.fooled.back());
      o << buf;
      if (!h.epochs.empty()) {
        std::snprintf(buf, sizeof buf, " FID %.2f", h.epochs.back().fid);
        o << buf;
      }
    }
  }
  return o.str();
}

}  // namespace initscope
