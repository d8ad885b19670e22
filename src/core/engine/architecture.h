#pragma once
// The architecture of one compared column (issue 13): a plain stack, or residual blocks, with or
// without a normalization layer. The default — no norm, no residual — is the plain stack of the
// fused forward pass (forward_pass.h), unchanged bit for bit; everything else runs the block
// network (block_net.h). docs/ARCHITECTURE.md "Architectures" has the equations:
//   plain:  z = x·W + b,  h = norm(z) (with a norm),  x' = φ(h or z)        (Linear → Norm → φ)
//   pre:    x' = x + α·(φ(norm(x))·W + b)    pre-activation / pre-norm (He 2016, GPT-2)
//   post:   x' = norm(x + α·(φ(x)·W + b))    post-norm (the original Transformer)
// Residual nets: layer 1 is a linear projection input_dim → width (x·W + b; no norm, no φ) and
// is counted by --layers; the L = layers − 1 blocks after it need equal widths.
// norm: batch (per feature over the batch, training-mode statistics), layer (per example over
// its features), rms (per example, no centring); γ = --norm-gain, β = 0, ε = 1e-5.
#include <optional>
#include <string>
#include <vector>

namespace initscope {

enum class NormKind { None, Batch, Layer, Rms };
enum class ResidualKind { None, Pre, Post };

inline constexpr double kNormEpsilon = 1e-5;

// "none" | "batch" | "layer" | "rms"; throws UsageError naming `option`, the value and the
// allowed words.
NormKind parse_norm(const std::string& text, const std::string& option = "--norm");
const char* norm_name(NormKind k);
const std::vector<std::string>& norm_names();
// "none" | "pre" | "post"
ResidualKind parse_residual(const std::string& text, const std::string& option = "--residual");
const char* residual_name(ResidualKind k);
const std::vector<std::string>& residual_names();

// α of the residual branch: a finite number, or 1/√L with L the number of blocks.
struct ResidualScale {
  bool inv_sqrt_blocks = false;  // "1/sqrt(L)"
  double value = 1;              // otherwise
  // "0.5", "0", "1/sqrt(L)" (also "1/√L"); throws UsageError naming `option`.
  static ResidualScale parse(const std::string& text,
                             const std::string& option = "--residual-scale");
  std::string text() const;  // parseable: "1", "0.25", "1/sqrt(L)"
  double resolve(int blocks) const;
  bool operator==(const ResidualScale&) const = default;
};

struct Architecture {
  NormKind norm = NormKind::None;
  double norm_gain = 1;  // γ at init; 0 = zero-γ
  ResidualKind residual = ResidualKind::None;
  ResidualScale scale;  // α

  bool plain() const { return norm == NormKind::None && residual == ResidualKind::None; }
  bool residual_net() const { return residual != ResidualKind::None; }
  // Residual: the blocks after the projection (layers − 1); plain: 0.
  int blocks(int layers) const { return residual_net() ? layers - 1 : 0; }
  // Whether layer l (1-based) of a `layers`-layer net has a norm, a branch (α·branch), a φ.
  bool has_norm(int l) const { return norm != NormKind::None && !(residual_net() && l == 1); }
  bool has_branch(int l) const { return residual_net() && l > 1; }
  // "plain", "pre-norm residual (LayerNorm), α = 1/√L", "plain + BatchNorm (γ = 0)"
  std::string summary() const;
  // "none" when plain; else e.g. "norm=layer,residual=pre,scale=1/sqrt(L)" — the column-spec
  // keys that give this architecture (only the ones that differ from the default).
  std::string spec_keys() const;
  // Throws UsageError for a norm gain that is not finite.
  void validate() const;
  bool operator==(const Architecture&) const = default;
};

// A column's overrides of the experiment's architecture, written in its init spec after the
// scheme's own keys: `kaiming_normal:mode=fan_in,norm=batch,residual=pre,scale=1/sqrt(L),gain=0`
// (keys norm, norm_gain, residual, scale). They change no weight: the column draws the weights
// the same spec without them draws.
struct ArchitectureOverrides {
  std::optional<NormKind> norm;
  std::optional<double> norm_gain;
  std::optional<ResidualKind> residual;
  std::optional<ResidualScale> scale;
  bool empty() const { return !norm && !norm_gain && !residual && !scale; }
  Architecture apply(Architecture base) const;
  // The keys set, as written in a spec: "norm=batch,scale=1/sqrt(L)" ("" when empty).
  std::string keys_text() const;
  // Whether `key` is one of the override keys; then sets it from `value` or throws UsageError
  // (the message starts with `head`, e.g. "--init 'normal:norm=bn': ").
  bool take(const std::string& key, const std::string& value, const std::string& head);
  bool operator==(const ArchitectureOverrides&) const = default;
};
inline constexpr const char* kArchitectureKeys = "norm, norm_gain, residual, scale";

}  // namespace initscope
