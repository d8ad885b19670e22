// The signal propagation view (issue 13) and the new quantities, headless (DISPLAY unset):
// `export --view signal` of a simulated experiment, and of synthetic snapshots whose channel
// statistics are the mean-field prediction times a known factor — the measured lines and the
// dashed predictions must sit where signal_layout says, in the columns' colours.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "core/error.h"
#include "core/presets.h"
#include "core/snapshot.h"
#include "core/theory/mean_field.h"
#include "export/export_figure.h"
#include "export/export_layout.h"
#include "export/png_io.h"
#include "render/fonts.h"
#include "render/profiles.h"
#include "render/quantity.h"
#include "render/signal_propagation.h"
#include "render/theme.h"
#include "temp_folder.h"

namespace initscope {
namespace {

using test::TempFolder;

constexpr double kPiOverPiMinusOne = 3.14159265358979323846 / (3.14159265358979323846 - 1);

struct SigRgb {
  int r, g, b;
};
SigRgb sig_rgb_at(const Image& img, int x, int y) {
  const uint8_t* p = img.rgba.data() + (size_t(y) * img.width + x) * 4;
  return {p[0], p[1], p[2]};
}
SigRgb sig_rgb_of(ImU32 c) {
  return {int(c & 0xFF), int((c >> 8) & 0xFF), int((c >> 16) & 0xFF)};  // ImGui packs ABGR
}
int sig_distance(SigRgb a, SigRgb b) {
  return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}
// Pixels of colour `c` (within 10 per channel) in the column of pixels around x, y0..y1.
int sig_pixels_near(const Image& img, ImU32 c, int x, int y0, int y1) {
  int n = 0;
  for (int y = std::max(0, y0); y < std::min(img.height, y1); ++y)
    for (int dx = -3; dx <= 3; ++dx)
      if (x + dx >= 0 && x + dx < img.width &&
          sig_distance(sig_rgb_at(img, x + dx, y), sig_rgb_of(c)) <= 10)
        ++n;
  return n;
}

ValueStats sig_stats(double mean, double std) {
  ValueStats v;
  v.count = 1000;
  v.mean = mean;
  v.std = std;
  v.hist.lo = mean - 4 * std;
  v.hist.hi = mean + 4 * std;
  v.hist.counts.resize(40);
  for (int i = 0; i < 40; ++i) {
    const double z = (i + 0.5) / 5 - 4;
    v.hist.counts[i] = static_cast<uint64_t>(std::round(100 * std::exp(-0.5 * z * z)));
  }
  return v;
}

// A snapshot whose measurements are the theory's numbers × `factor` (per column), as a wide
// network's would be; branch and normed statistics where the architecture has them.
Snapshot sig_snapshot(const std::vector<std::string>& inits, const std::string& act, int layers,
                      const std::vector<double>& factor) {
  Snapshot s;
  Experiment& e = s.experiment;
  e.activation = Activation::parse(act);
  e.layers = layers;
  e.widths = {256};
  e.batch = 1000;
  for (const std::string& i : inits) e.inits.push_back(InitSpec::parse(i));
  for (size_t c = 0; c < inits.size(); ++c) {
    s.theory.push_back(predict(e, e.inits[c]));
    const Architecture arch = e.column_arch(c);
    ColumnStats col;
    col.init = inits[c];
    for (const LayerPrediction& lp : s.theory.back().layers) {
      LayerStats l;
      l.layer = lp.layer;
      l.fan_in = l.fan_out = 256;
      l.preact = sig_stats(0, lp.preact_std);
      l.act = sig_stats(lp.act_mean, lp.act_std * std::sqrt(factor[c]));
      l.channel_sq_mean = lp.channel_sq_mean * factor[c];
      l.channel_var = lp.channel_var * factor[c];
      l.has_branch = arch.has_branch(l.layer);
      if (l.has_branch) {
        l.branch = sig_stats(0, lp.branch_std);
        l.branch_channel_var = lp.branch_channel_var * factor[c];
      }
      l.has_normed = arch.has_norm(l.layer);
      if (l.has_normed) l.normed = sig_stats(0, lp.normed_std);
      col.layers.push_back(l);
    }
    s.columns.push_back(col);
  }
  return s;
}

// INITSCOPE_TEST_FIGURES=<folder>: keep a copy of the figure there, to look at it.
void sig_keep(const std::string& png, const std::string& name) {
  if (const char* keep = std::getenv("INITSCOPE_TEST_FIGURES"))
    std::filesystem::copy_file(png, std::filesystem::path(keep) / name,
                               std::filesystem::copy_options::overwrite_existing);
}

class SignalView : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("DISPLAY");
    ::unsetenv("WAYLAND_DISPLAY");
  }
};

const std::vector<std::string> kSigInits = {
    "kaiming_normal:residual=pre", "kaiming_normal:residual=pre,scale=1/sqrt(L)",
    "kaiming_normal:norm=layer,residual=pre", "kaiming_normal:norm=layer,residual=post"};

TEST_F(SignalView, SyntheticSnapshotDrawsEveryColumnOnItsPredictionInEveryPanel) {
  TempFolder dir;
  const Snapshot snap = sig_snapshot(kSigInits, "relu", 12, {1, 1, 1, 1});
  ExportOptions opt;
  opt.out = dir.file("signal.png");
  opt.view = "signal";
  export_snapshot_figure(snap, opt);
  sig_keep(opt.out, "signal_synthetic.png");
  const Image img = read_png(opt.out);
  ASSERT_EQ(img.width, opt.width);
  const ExportLayout lay = export_layout(opt, snap.experiment.layers);
  ASSERT_EQ(lay.whole, render::FigureKind::Signal);
  // The layout measures the title (signal_heading): the fonts the export drew with.
  ImGui::CreateContext();
  render::load_fonts(lay.font_px);
  const render::ProfileLayout sl =
      render::signal_layout(lay.figure_pos, lay.figure_size, snap, lay.figure, lay.font_px);
  ImGui::DestroyContext();
  ASSERT_EQ(sl.panels.size(), 3u);  // residual columns: the branch panel too
  // At layer 7 of every panel, each column's colour is found near its (measured = predicted)
  // value's height.
  int worst = 1 << 30;
  for (const render::ProfilePanel& p : sl.panels)
    for (size_t c = 0; c < snap.columns.size(); ++c) {
      const double v = render::profile_value(snap.columns[c].layers[6], p.metric, lay.figure);
      ASSERT_TRUE(std::isfinite(v));
      const int x = int(render::layer_x(p.plot, 7, sl.layers));
      const int y = int(render::value_y(p, v));
      const int n =
          sig_pixels_near(img, render::column_color(int(c), lay.figure.theme), x, y - 6, y + 7);
      worst = std::min(worst, n);
      EXPECT_GE(n, 4) << render::metric_title(p.metric, lay.figure) << ", column " << c + 1;
    }
  std::printf("signal view: fewest column-colour pixels at a measured point %d\n", worst);
}

TEST_F(SignalView, CaptionNamesColumnsWithoutPrediction) {
  Snapshot snap = sig_snapshot({"kaiming_normal:norm=batch", "eye"}, "relu", 6, {1, 1});
  const std::string caption = render::signal_caption(snap);
  EXPECT_NE(caption.find("Dashed: mean-field prediction"), std::string::npos) << caption;
  EXPECT_NE(caption.find("eye: no prediction"), std::string::npos) << caption;
  EXPECT_NE(render::signal_title(snap).find("Signal propagation"), std::string::npos);
  for (auto& c : snap.columns)
    for (auto& l : c.layers) l.channel_var = l.channel_sq_mean = NAN;
  EXPECT_NE(render::signal_caption(snap).find("no channel statistics"), std::string::npos);
}

TEST_F(SignalView, ExportOfASimulatedExperimentWritesTheFigure) {
  // Real export (the simulation fills the channel statistics once the engine measures them;
  // before that the caption says the snapshot has none — either way the figure is written).
  TempFolder dir;
  Experiment e = load_preset("compare");
  e.layers = 4;
  e.widths = {64};
  e.batch = 128;
  ExportOptions opt;
  opt.out = dir.file("signal_sim.png");
  opt.view = "signal";
  opt.width = 900;
  opt.height = 500;
  export_figure(e, opt);
  sig_keep(opt.out, "signal_simulated.png");
  const Image img = read_png(opt.out);
  EXPECT_EQ(img.width, 900);
  EXPECT_EQ(img.height, 500);
}

TEST_F(SignalView, BranchAndNormedQuantitiesInTheGridAndTheirKeys) {
  TempFolder dir;
  const Snapshot snap = sig_snapshot(kSigInits, "relu", 6, {1, 1, 1, 1});
  for (const char* q : {"branch", "normed"}) {
    render::Quantity parsed;
    ASSERT_TRUE(render::parse_quantity(q, parsed)) << q;
    EXPECT_TRUE(render::is_available(parsed, snap.experiment)) << q;
    ExportOptions opt;
    opt.out = dir.file(std::string(q) + ".png");
    opt.view = "both";
    opt.quantity = q;
    export_snapshot_figure(snap, opt);
    sig_keep(opt.out, std::string(q) + "_synthetic.png");
    EXPECT_EQ(read_png(opt.out).width, opt.width);
  }
  // A plain experiment offers neither; Q skips them.
  Experiment plain = snap.experiment;
  plain.inits = {InitSpec::parse("kaiming_normal")};
  EXPECT_FALSE(render::is_available(render::Quantity::Branch, plain));
  EXPECT_FALSE(render::is_available(render::Quantity::Normed, plain));
  EXPECT_EQ(render::next_quantity(render::Quantity::PreActivation, 1, plain),
            render::Quantity::ActivationGrad);
  ExportOptions bad;
  bad.out = dir.file("bad.png");
  bad.quantity = "stream";
  try {
    export_snapshot_figure(snap, bad);
    FAIL() << "no error for --quantity stream";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("normed, branch"), std::string::npos) << e.what();
  }
}

TEST_F(SignalView, BatchNormGradientLineGrowsByPiOverPiMinusOneFromTheLastLayer) {
  // dL/dA's predicted std: the last layer's measured std × (π/(π−1))^((L − l)/2) for the
  // BatchNorm ReLU column; none for BatchNorm tanh (its theory has no rate) nor for dL/dW.
  Snapshot snap = sig_snapshot({"kaiming_normal:norm=batch"}, "relu", 8, {1});
  snap.experiment.gradients = true;
  for (LayerStats& l : snap.columns[0].layers) {
    l.has_grad = true;
    l.grad_act = sig_stats(0, 0.01 * std::pow(1.2, 8 - l.layer));
  }
  render::FigureOptions opt;
  opt.quantity = render::Quantity::ActivationGrad;
  const double rate = std::sqrt(kPiOverPiMinusOne);
  double worst = 0;
  for (int l = 1; l <= 8; ++l) {
    const double want = 0.01 * std::pow(rate, 8 - l);
    const double got = render::predicted_std(snap, 0, l, opt);
    worst = std::max(worst, std::fabs(got / want - 1));
  }
  EXPECT_LT(worst, 1e-12);
  std::printf("BatchNorm dL/dA line: worst relative difference %.3g\n", worst);
  opt.quantity = render::Quantity::WeightGrad;
  EXPECT_TRUE(std::isnan(render::predicted_std(snap, 0, 3, opt)));
  Snapshot tanh_bn = sig_snapshot({"xavier_normal:norm=batch"}, "tanh", 8, {1});
  for (LayerStats& l : tanh_bn.columns[0].layers) l.has_grad = true;
  opt.quantity = render::Quantity::ActivationGrad;
  EXPECT_TRUE(std::isnan(render::predicted_std(tanh_bn, 0, 3, opt)));
  EXPECT_FALSE(tanh_bn.theory[0].grad_note.empty());
}

// The BatchNorm gradient line's note is drawn where the line is: a caption under the depth
// profiles when they show dL/dA, naming the rate and its source, and why other columns have no
// line (plain stack; residual nets have no closed form). No caption for other quantities or
// plain experiments, which keep their layout.
TEST_F(SignalView, BatchNormGradientCaptionUnderTheProfiles) {
  Snapshot snap = sig_snapshot(
      {"kaiming_normal:norm=batch", "kaiming_normal", "kaiming_normal:norm=layer,residual=pre"},
      "relu", 8, {1, 1, 1});
  snap.experiment.gradients = true;
  for (ColumnStats& c : snap.columns)
    for (LayerStats& l : c.layers) {
      l.has_grad = true;
      l.grad_act = sig_stats(0, 0.01 * std::pow(1.2, 8 - l.layer));
      l.grad_norm = 1;
    }
  render::FigureOptions opt;
  opt.quantity = render::Quantity::ActivationGrad;
  const std::string caption = render::gradient_caption(snap, opt);
  for (const char* k :
       {"\xCF\x80/(\xCF\x80\xE2\x88\x92"
        "1)",
        "1.467", "Yang et al. 2019", "from layer 8.", "kaiming_normal: no line (plain stack)",
        "no closed form for the gradient of residual nets"})
    EXPECT_NE(caption.find(k), std::string::npos) << k << " in: " << caption;
  opt.quantity = render::Quantity::Activation;
  EXPECT_EQ(render::gradient_caption(snap, opt), "");
  Snapshot plain = sig_snapshot({"kaiming_normal"}, "relu", 8, {1});
  for (LayerStats& l : plain.columns[0].layers) l.has_grad = true;
  opt.quantity = render::Quantity::ActivationGrad;
  EXPECT_EQ(render::gradient_caption(plain, opt), "");

  // The export: the layout leaves the caption its room under the plots, and text is drawn there.
  TempFolder dir;
  ExportOptions eo;
  eo.out = dir.file("bn_grad.png");
  eo.view = "profiles";
  eo.quantity = "grad";
  export_snapshot_figure(snap, eo);
  sig_keep(eo.out, "bn_grad_caption.png");
  const Image img = read_png(eo.out);
  const ExportLayout lay = export_layout(eo, snap.experiment.layers);
  ImGui::CreateContext();  // the layout measures the title with the export's fonts
  render::load_fonts(lay.font_px);
  const render::ProfileLayout pl =
      render::profile_layout(lay.profiles_pos, lay.profiles_size, snap, lay.figure, lay.font_px);
  ImGui::DestroyContext();
  for (const render::ProfilePanel& p : pl.panels) EXPECT_LT(p.plot.y1, pl.caption_y);
  const SigRgb dim = sig_rgb_of(render::palette(lay.figure.theme).text_dim);
  int text_pixels = 0;
  for (int y = int(pl.caption_y); y < int(lay.profiles_pos.y + lay.profiles_size.y); ++y)
    for (int x = 0; x < img.width; ++x)
      text_pixels += sig_distance(sig_rgb_at(img, x, y), dim) <= 40;
  std::printf("caption: %d text pixels under the plots\n", text_pixels);
  EXPECT_GT(text_pixels, 200);
}

}  // namespace
}  // namespace initscope
