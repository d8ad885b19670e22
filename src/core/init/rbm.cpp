#include "rbm.h"

#include <algorithm>
#include <numeric>

#include "core/error.h"

namespace initscope {
namespace {

void sigmoid_in_place(Eigen::MatrixXf& m) {
  m = (1.f + (-m.array()).exp()).inverse().matrix();
}

}  // namespace

void rbm_hidden(const Rbm& rbm, const Eigen::MatrixXf& v, Eigen::MatrixXf& p_h) {
  p_h.noalias() = v * rbm.w;
  p_h.rowwise() += rbm.c;
  sigmoid_in_place(p_h);
}

double cd1_step(Rbm& rbm, const Eigen::MatrixXf& v0, float lr, Rng& rng, Cd1Scratch& s) {
  const float scale = lr / static_cast<float>(v0.rows());
  rbm_hidden(rbm, v0, s.p_h0);
  s.h0.resize(s.p_h0.rows(), s.p_h0.cols());
  const float* p = s.p_h0.data();
  float* h = s.h0.data();
  for (Eigen::Index i = 0; i < s.p_h0.size(); ++i) {
    h[i] = rng.uniform() < static_cast<double>(p[i]) ? 1.f : 0.f;
  }
  s.p_v1.noalias() = s.h0 * rbm.w.transpose();
  s.p_v1.rowwise() += rbm.a;
  sigmoid_in_place(s.p_v1);
  rbm_hidden(rbm, s.p_v1, s.p_h1);
  // Positive minus negative statistics, as two rank-B updates of W.
  rbm.w.noalias() += (scale * v0.transpose()) * s.p_h0;
  rbm.w.noalias() -= (scale * s.p_v1.transpose()) * s.p_h1;
  rbm.a += scale * (v0 - s.p_v1).colwise().sum();
  rbm.c += scale * (s.p_h0 - s.p_h1).colwise().sum();
  return static_cast<double>((v0 - s.p_v1).squaredNorm()) / static_cast<double>(v0.rows());
}

RbmData RbmData::rows_of(const Eigen::MatrixXf& x) {
  RbmData data;
  data.count = static_cast<int>(x.rows());
  data.dim = static_cast<int>(x.cols());
  data.gather = [&x](const int* rows, int n, Eigen::MatrixXf& out) {
    out.resize(n, x.cols());
    for (int i = 0; i < n; ++i) out.row(i) = x.row(rows[i]);
  };
  return data;
}

RbmSettings RbmSettings::from_spec(const InitSpec& spec) {
  const Activation none;
  RbmSettings s;
  s.epochs = static_cast<int>(spec.number("epochs", none));
  s.lr = spec.number("lr", none);
  s.batch = static_cast<int>(spec.number("batch", none));
  return s;
}

std::vector<std::vector<double>> pretrain_rbm_stack(std::vector<Eigen::MatrixXf>& w,
                                                    std::vector<Eigen::RowVectorXf>* b, int layers,
                                                    const RbmData& data,
                                                    const RbmSettings& settings, uint64_t seed,
                                                    uint64_t stream,
                                                    const std::atomic<bool>* cancel) {
  std::vector<std::vector<double>> errors(static_cast<size_t>(layers));
  std::vector<Rbm> stack(static_cast<size_t>(layers));
  const int batch = std::min(settings.batch, data.count);
  const int batches = data.count / batch;  // the last partial batch of each epoch is left out
  std::vector<int> order(static_cast<size_t>(data.count));
  Eigen::MatrixXf x, up, next;
  Cd1Scratch scratch;
  for (int l = 0; l < layers; ++l) {
    Rbm& rbm = stack[l];
    rbm.w = w[l];
    rbm.a = Eigen::RowVectorXf::Zero(w[l].rows());
    rbm.c = Eigen::RowVectorXf::Zero(w[l].cols());
    Rng rng = Rng::stream(seed, stream, static_cast<uint64_t>(l));
    for (int epoch = 0; epoch < settings.epochs; ++epoch) {
      // Fisher–Yates from this layer's stream: a new order each epoch.
      std::iota(order.begin(), order.end(), 0);
      for (int i = data.count - 1; i > 0; --i) {
        std::swap(order[i], order[rng.below(static_cast<uint64_t>(i) + 1)]);
      }
      double sum = 0;
      for (int k = 0; k < batches; ++k) {
        if (cancel_requested(cancel)) throw Cancelled{};
        data.gather(order.data() + static_cast<size_t>(k) * batch, batch, x);
        // Up through the RBMs already trained: their hidden probabilities are this one's data.
        const Eigen::MatrixXf* v = &x;
        for (int below = 0; below < l; ++below) {
          rbm_hidden(stack[below], *v, v == &up ? next : up);
          v = v == &up ? &next : &up;
        }
        sum += cd1_step(rbm, *v, static_cast<float>(settings.lr), rng, scratch);
      }
      errors[l].push_back(sum / batches);
    }
    w[l] = rbm.w;
    if (b != nullptr) (*b)[l] = rbm.c;
  }
  return errors;
}

}  // namespace initscope
