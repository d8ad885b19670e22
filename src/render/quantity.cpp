#include "quantity.h"

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
  }
  return l.act;
}

bool is_gradient(Quantity q) {
  return q == Quantity::ActivationGrad || q == Quantity::WeightGrad;
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
  }
  return "";
}

bool parse_quantity(const std::string& key, Quantity& out) {
  return parse_key(kQuantities, quantity_key, key, out);
}

}  // namespace initscope::render
