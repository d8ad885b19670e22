// Architectures (issue 13): the options' grammar, a column's overrides inside its init spec, the
// rules Experiment::validate enforces (one-line errors naming the option), and the residual-aware
// inits fixup and gpt2 (their blocks' weights against the same spec's plain draw).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/engine/architecture.h"
#include "core/error.h"
#include "core/experiment.h"
#include "core/init/init_spec.h"
#include "core/init/start_weights.h"
#include "core/theory/mean_field.h"

namespace initscope {
namespace {

std::string arch_usage_error(const Experiment& e) {
  try {
    e.validate();
  } catch (const UsageError& err) {
    return err.what();
  }
  return "(no error)";
}

Experiment arch_small(const std::string& spec) {
  Experiment e;
  e.layers = 4;
  e.widths = {32};
  e.batch = 16;
  e.inits = {InitSpec::parse(spec)};
  return e;
}

TEST(Architecture, NamesAndScalesParse) {
  EXPECT_EQ(parse_norm("batch"), NormKind::Batch);
  EXPECT_EQ(parse_norm("rms"), NormKind::Rms);
  EXPECT_EQ(parse_residual("post"), ResidualKind::Post);
  EXPECT_TRUE(ResidualScale::parse("1/sqrt(L)").inv_sqrt_blocks);
  EXPECT_TRUE(ResidualScale::parse(" 1 / sqrt(L) ").inv_sqrt_blocks);
  EXPECT_DOUBLE_EQ(ResidualScale::parse("1/sqrt(L)").resolve(16), 0.25);
  EXPECT_DOUBLE_EQ(ResidualScale::parse("0").resolve(16), 0.0);
  EXPECT_DOUBLE_EQ(ResidualScale::parse("0.5").resolve(3), 0.5);
  EXPECT_EQ(ResidualScale::parse("0.5").text(), "0.5");
  EXPECT_EQ(ResidualScale::parse("1/√L").text(), "1/sqrt(L)");
}

TEST(Architecture, BadNamesAreOneLineErrorsWithWhatIsAllowed) {
  try {
    parse_norm("bn");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "--norm 'bn': unknown normalization; allowed: none, batch, layer, rms");
  }
  try {
    parse_norm("layr");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'layer'?"), std::string::npos) << e.what();
  }
  try {
    ResidualScale::parse("half");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--residual-scale 'half': not a number"),
              std::string::npos)
        << e.what();
  }
  EXPECT_THROW(parse_residual("both"), UsageError);
}

TEST(Architecture, ColumnOverridesParseApartFromTheSchemeKeys) {
  const InitSpec s =
      InitSpec::parse("kaiming_normal:mode=fan_out,norm=batch,residual=pre,scale=1/sqrt(L)");
  EXPECT_EQ(s.values.at("mode"), "fan_out");
  ASSERT_TRUE(s.arch.norm && s.arch.residual && s.arch.scale);
  EXPECT_EQ(*s.arch.norm, NormKind::Batch);
  EXPECT_EQ(*s.arch.residual, ResidualKind::Pre);
  // The same weights as without the overrides: the random stream does not see them.
  EXPECT_EQ(s.stream_text(), InitSpec::parse("kaiming_normal:mode=fan_out").stream_text());
  const Architecture a = s.arch.apply(Architecture{});
  EXPECT_EQ(a.summary(), "pre-norm residual (BatchNorm), α = 1/√L");
  EXPECT_EQ(a.spec_keys(), "norm=batch,residual=pre,scale=1/sqrt(L)");
  EXPECT_EQ(InitSpec::parse("zeros:norm_gain=0").arch.norm_gain.value(), 0.0);
  try {
    InitSpec::parse("normal:std=1,norm=bn");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "--init 'normal:std=1,norm=bn': norm 'bn': unknown normalization; allowed: "
                 "none, batch, layer, rms");
  }
  EXPECT_THROW(InitSpec::parse("normal:norm=batch,norm=layer"), UsageError);
  try {
    InitSpec::parse("normal:depth=3");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("norm, norm_gain, residual, scale"), std::string::npos)
        << e.what();
  }
}

TEST(Architecture, ValidateNamesTheOptionAndWhatIsAllowed) {
  Experiment e = arch_small("kaiming_normal");
  e.arch.norm = NormKind::Batch;
  e.batch = 1;
  EXPECT_NE(arch_usage_error(e).find("--batch 1: BatchNorm needs at least 2 examples"),
            std::string::npos)
      << arch_usage_error(e);
  e = arch_small("kaiming_normal");
  e.arch.residual = ResidualKind::Pre;
  e.widths = {32, 32, 16, 32};
  EXPECT_NE(arch_usage_error(e).find("--width 32,32,16,32: residual blocks need equal widths"),
            std::string::npos)
      << arch_usage_error(e);
  e.widths = {64, 32, 32, 32};  // the projection may differ from the input; blocks are equal
  e.widths = {32};
  e.input_dim = 10;
  EXPECT_EQ(arch_usage_error(e), "(no error)");
  e.layers = 1;
  EXPECT_NE(arch_usage_error(e).find("--layers 1"), std::string::npos) << arch_usage_error(e);
  e = arch_small("kaiming_normal:residual=post");  // a column's override is checked too
  e.widths = {32, 32, 16, 32};
  EXPECT_NE(arch_usage_error(e).find("(column 'kaiming_normal:residual=post')"), std::string::npos)
      << arch_usage_error(e);
  e = arch_small("fixup");
  EXPECT_NE(arch_usage_error(e).find("fixup scales residual branches"), std::string::npos)
      << arch_usage_error(e);
  e = arch_small("kaiming_normal");
  e.input = InitSpec::parse("normal:std=1,norm=batch", "--input");
  EXPECT_NE(arch_usage_error(e).find("--input 'normal:std=1,norm=batch': architecture keys"),
            std::string::npos)
      << arch_usage_error(e);
}

// fixup: He normal projection, zero blocks. gpt2: N(0, 0.02²), blocks × 1/√(2L): exactly the
// plain draw of the same stream scaled (the rule runs after the draw).
TEST(Architecture, FixupAndGpt2ScaleTheBlocksOfResidualColumns) {
  Experiment e = arch_small("fixup");
  e.layers = 9;  // 8 blocks
  e.widths = {400};
  e.input_dim = 100;
  e.arch.residual = ResidualKind::Pre;
  e.inits = {InitSpec::parse("fixup"), InitSpec::parse("gpt2"), InitSpec::parse("normal:std=0.02")};
  e.validate();
  const std::vector<StartWeights> w = draw_start_weights(e);
  const Eigen::MatrixXf& proj = w[0].w[0];
  const double he_std = std::sqrt(proj.cast<double>().squaredNorm() / proj.size());
  EXPECT_NEAR(he_std, (5.0 / 3.0) / std::sqrt(100.0), 0.02 * he_std)
      << "fixup's projection: He normal with tanh's gain 5/3";
  for (int l = 1; l < e.layers; ++l) EXPECT_EQ(w[0].w[l].cwiseAbs().maxCoeff(), 0.0f) << l;
  // gpt2 and normal:std=0.02 have different streams: compare the std instead of the values.
  const double scale = 1 / std::sqrt(2.0 * 8);
  double worst = 0;
  for (int l = 1; l < e.layers; ++l) {
    const double sd = std::sqrt(w[1].w[l].cast<double>().squaredNorm() / w[1].w[l].size());
    worst = std::max(worst, std::abs(sd / (0.02 * scale) - 1));
  }
  const double sd0 = std::sqrt(w[1].w[0].cast<double>().squaredNorm() / w[1].w[0].size());
  std::printf("gpt2: projection std %.5f (0.02), worst relative block std error %.4f\n", sd0,
              worst);
  EXPECT_NEAR(sd0, 0.02, 0.002);
  EXPECT_LT(worst, 0.02);  // 160,000 draws per layer: the std's relative error ≈ 0.002
}

// The theory sees the branch rule: gpt2's blocks have σ_w² = 0.02²·n/(2L), fixup's 0, and the
// projections the scheme's own.
TEST(Architecture, TheTheoryReadsTheBranchRule) {
  Experiment e = arch_small("gpt2");
  e.layers = 9;
  e.widths = {400};
  e.arch.residual = ResidualKind::Pre;
  e.inits = {InitSpec::parse("gpt2"), InitSpec::parse("fixup")};
  e.validate();
  EXPECT_NEAR(effective_init(e, e.inits[0], 1).sigma_w2, 0.0004 * 400, 1e-12);
  for (int l = 2; l <= 9; ++l) {
    EXPECT_NEAR(effective_init(e, e.inits[0], l).sigma_w2, 0.0004 * 400 / 16, 1e-12) << l;
    EXPECT_EQ(effective_init(e, e.inits[1], l).sigma_w2, 0.0) << l;
  }
  EXPECT_NEAR(effective_init(e, e.inits[1], 1).sigma_w2, 25.0 / 9, 1e-12);  // tanh gain²
}

}  // namespace
}  // namespace initscope
