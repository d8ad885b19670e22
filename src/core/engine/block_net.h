#pragma once
// One column's network for any architecture (engine/architecture.h), forward and backward, on
// B × n column-major matrices: the block engine that Simulation runs when a column has a norm or
// a residual, and that Trainer trains. Per layer l (1-based; x the layer's input, n its width):
//   plain:        z = x·W + b;  h = norm(z);  out = φ(h)            (φ(z) without a norm)
//   projection:   z = x·W + b;  out = z                              (residual nets' layer 1)
//   pre block:    h = norm(x);  p = φ(h);  z = p·W + b;  r = α·z;  out = x + r
//   post block:   p = φ(x);  z = p·W + b;  r = α·z;  s = x + r;  out = norm(s)  (h = out)
//   head:         z = x·W + b;  out = z      (training's classifier: the logits; no norm, no φ)
// Without a norm, h is x (pre) or s (post). α = arch.scale resolved with L = layers − 1 blocks
// (training: the head is not a block either).
#include <Eigen/Core>
#include <functional>
#include <vector>

#include "architecture.h"
#include "core/engine/activation.h"
#include "normalization.h"

namespace initscope {

struct BlockNetParams {
  std::vector<Eigen::MatrixXf> w;     // layer l (0-based): fan_in × fan_out
  std::vector<Eigen::RowVectorXf> b;  // 1 × fan_out each; empty: no bias
  // Per layer, 1 × fan_out where the layer has a norm (size 0 elsewhere): γ (--norm-gain), β = 0,
  // BatchNorm's running moments (0, 1).
  std::vector<Eigen::RowVectorXf> gamma, beta;
  std::vector<RunningMoments> running;
  int layers() const { return static_cast<int>(w.size()); }
};

// Sizes and sets γ, β and the running moments for `arch` (w must be set).
void init_norm_params(const Architecture& arch, bool head, BlockNetParams& p);

// What one layer's forward keeps (for its backward and its statistics).
struct BlockLayer {
  Eigen::MatrixXf z;       // the linear output, B × fan_out
  Eigen::MatrixXf normed;  // the norm's output h (empty without a norm)
  Eigen::MatrixXf phi;     // blocks: p = φ(·), the branch's input (B × n); plain: unused
  Eigen::MatrixXf branch;  // blocks: r = α·z
  Eigen::MatrixXf sum;     // post blocks with a norm: s = x + r (the norm's input)
  Eigen::MatrixXf out;     // the layer's output: φ(…) (plain), the stream (blocks), z (head)
  NormCache cache;
};

struct BlockNetOptions {
  bool head = false;            // the last layer is a linear classifier (training)
  bool keep_all = true;         // keep every layer (backward needs them); false: a ring of two
  bool use_running = false;     // BatchNorm: running moments (evaluation) instead of the batch's
  bool update_running = false;  // BatchNorm: update the running moments from this batch
  // Called after each layer with its index (0-based) and values, e.g. for statistics.
  std::function<void(int, const BlockLayer&)> layer_done;
};

class BlockNet {
 public:
  BlockNet(const Architecture& arch, const Activation& act, int layers, bool head);
  const Architecture& arch() const { return arch_; }
  double alpha() const { return alpha_; }
  // The kind of layer l (0-based).
  enum class Role { Plain, Projection, Block, Head };
  Role role(int l) const;

  // x: B × fan_in(1). layers: resized to layers (keep_all) or 2; layers[l] (or [l % 2]) holds
  // layer l's values. `p.running` is written when options.update_running.
  void forward(BlockNetParams& p, const Eigen::MatrixXf& x, std::vector<BlockLayer>& layers,
               const BlockNetOptions& options = {}) const;

  struct Grads {
    std::vector<Eigen::MatrixXf> w;
    std::vector<Eigen::RowVectorXf> b, gamma, beta;  // b empty without bias
  };
  // From d_out = dL/d(out of the last layer) back to the first layer (layers kept by a forward
  // with keep_all). grads are sized on first use and overwritten. `visit(l, d_out_l, d_w_l)`
  // runs for each layer with dL/d(out_l) and dL/dW_l, last layer first.
  void backward(const BlockNetParams& p, const Eigen::MatrixXf& x,
                const std::vector<BlockLayer>& layers, const Eigen::MatrixXf& d_out, Grads& grads,
                const std::function<void(int, const Eigen::MatrixXf&, const Eigen::MatrixXf&)>&
                    visit = {}) const;

 private:
  Architecture arch_;
  Activation act_;
  int layers_;
  bool head_;
  double alpha_;
};

}  // namespace initscope
