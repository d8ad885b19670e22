#include "lsuv.h"

#include <cmath>

namespace initscope {

std::vector<int> lsuv_scale(std::vector<Eigen::MatrixXf>& w,
                            const std::vector<Eigen::RowVectorXf>& b, const Eigen::MatrixXf& x,
                            const Activation& act, double tol, int max_iter) {
  std::vector<int> rounds(w.size(), 0);
  Eigen::MatrixXf a = x, z;
  for (size_t l = 0; l < w.size(); ++l) {
    auto forward = [&] {
      z.noalias() = a * w[l];
      if (!b.empty()) z.rowwise() += b[l];
    };
    forward();
    for (int it = 0; it < max_iter; ++it) {
      const double n = static_cast<double>(z.size());
      const double mean = z.cast<double>().sum() / n;
      const double var = (z.cast<double>().array() - mean).square().sum() / n;
      // A dead or exploded layer cannot be rescaled to unit variance: leave it as it is.
      if (!(var > 0) || !std::isfinite(var) || std::fabs(var - 1) <= tol) break;
      w[l] /= static_cast<float>(std::sqrt(var));
      ++rounds[l];
      forward();
    }
    act.apply(z, a);
  }
  return rounds;
}

}  // namespace initscope
