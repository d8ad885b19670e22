#include "quantity.h"

#include <algorithm>
#include <iterator>

#include "enum_keys.h"

namespace initscope::render {

const ValueStats& shown(const LayerStats& l, Quantity q) {
  switch (q) {
    case Quantity::Activation:
      return l.act;
    case Quantity::PreActivation:
      return l.preact;
    case Quantity::ActivationGrad:
      return l.grad_act;
    case Quantity::WeightGrad:
      return l.grad_weight;
    case Quantity::Normed:
      return l.normed;
    case Quantity::Branch:
      return l.branch;
  }
  return l.act;
}

bool is_measured(const LayerStats& l, Quantity q) {
  switch (q) {
    case Quantity::ActivationGrad:
    case Quantity::WeightGrad:
      return l.has_grad;
    case Quantity::Normed:
      return l.has_normed;
    case Quantity::Branch:
      return l.has_branch;
    default:
      return true;
  }
}

bool is_gradient(Quantity q) {
  return q == Quantity::ActivationGrad || q == Quantity::WeightGrad;
}

bool is_available(Quantity q, const Experiment& e) {
  if (q != Quantity::Normed && q != Quantity::Branch) return true;
  for (size_t c = 0; c < e.inits.size(); ++c) {
    const Architecture a = e.column_arch(c);
    if (q == Quantity::Normed ? a.norm != NormKind::None : a.residual_net()) return true;
  }
  return false;
}

Quantity next_quantity(Quantity q, int step, const Experiment& e) {
  const int n = static_cast<int>(std::size(kQuantities));
  int i = static_cast<int>(std::find(std::begin(kQuantities), std::end(kQuantities), q) -
                           std::begin(kQuantities));
  for (int tries = 0; tries < n; ++tries) {
    i = ((i + step) % n + n) % n;
    if (is_available(kQuantities[i], e)) return kQuantities[i];
  }
  return q;
}

const char* quantity_keys_text() {
  return "act, preact, normed, branch, grad, wgrad";
}

const char* quantity_title(Quantity q) {
  switch (q) {
    case Quantity::Activation:
      return "activations";
    case Quantity::PreActivation:
      return "pre-activations";
    case Quantity::ActivationGrad:
      return "activation gradients dL/dA";
    case Quantity::WeightGrad:
      return "weight gradients dL/dW";
    case Quantity::Normed:
      return "normalized values";
    case Quantity::Branch:
      return "residual branch";
  }
  return "";
}

const char* quantity_key(Quantity q) {
  switch (q) {
    case Quantity::Activation:
      return "act";
    case Quantity::PreActivation:
      return "preact";
    case Quantity::ActivationGrad:
      return "grad";
    case Quantity::WeightGrad:
      return "wgrad";
    case Quantity::Normed:
      return "normed";
    case Quantity::Branch:
      return "branch";
  }
  return "";
}

bool parse_quantity(const std::string& key, Quantity& out) {
  return parse_key(kQuantities, quantity_key, key, out);
}

}  // namespace initscope::render
