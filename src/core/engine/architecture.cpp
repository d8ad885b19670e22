#include "architecture.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/did_you_mean.h"
#include "core/error.h"

namespace initscope {
namespace {

std::string join_words(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : ", ") + w;
  return s;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

std::string arch_number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// A finite number, whole text consumed ("1e-2", "0.5"); false otherwise.
bool whole_number(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && std::isfinite(out);
}

}  // namespace

const std::vector<std::string>& norm_names() {
  static const std::vector<std::string> names{"none", "batch", "layer", "rms"};
  return names;
}

const std::vector<std::string>& residual_names() {
  static const std::vector<std::string> names{"none", "pre", "post"};
  return names;
}

NormKind parse_norm(const std::string& text, const std::string& option) {
  const std::string t = trimmed(text);
  const auto& names = norm_names();
  for (size_t i = 0; i < names.size(); ++i)
    if (t == names[i]) return static_cast<NormKind>(i);
  throw UsageError(option + " '" + text + "': unknown normalization; " + did_you_mean(t, names) +
                   "allowed: " + join_words(names));
}

const char* norm_name(NormKind k) {
  return norm_names()[static_cast<size_t>(k)].c_str();
}

ResidualKind parse_residual(const std::string& text, const std::string& option) {
  const std::string t = trimmed(text);
  const auto& names = residual_names();
  for (size_t i = 0; i < names.size(); ++i)
    if (t == names[i]) return static_cast<ResidualKind>(i);
  throw UsageError(option + " '" + text + "': unknown residual form; " + did_you_mean(t, names) +
                   "allowed: " + join_words(names));
}

const char* residual_name(ResidualKind k) {
  return residual_names()[static_cast<size_t>(k)].c_str();
}

ResidualScale ResidualScale::parse(const std::string& text, const std::string& option) {
  std::string t;
  for (char c : text)
    if (c != ' ' && c != '\t') t += c;
  ResidualScale s;
  if (t == "1/sqrt(L)" || t == "1/√L" || t == "1/sqrt(l)") {
    s.inv_sqrt_blocks = true;
    return s;
  }
  if (!whole_number(t, s.value)) {
    throw UsageError(option + " '" + text +
                     "': not a number; allowed: a finite number (0 = SkipInit/ReZero) or "
                     "1/sqrt(L)");
  }
  return s;
}

std::string ResidualScale::text() const {
  return inv_sqrt_blocks ? "1/sqrt(L)" : arch_number_text(value);
}

double ResidualScale::resolve(int blocks) const {
  return inv_sqrt_blocks ? 1.0 / std::sqrt(static_cast<double>(std::max(1, blocks))) : value;
}

std::string Architecture::summary() const {
  static const char* norm_titles[] = {"", "BatchNorm", "LayerNorm", "RMSNorm"};
  const std::string gain =
      norm != NormKind::None && norm_gain != 1 ? " (γ = " + arch_number_text(norm_gain) + ")" : "";
  const std::string n = norm_titles[static_cast<int>(norm)];
  if (!residual_net()) return norm == NormKind::None ? "plain" : "plain + " + n + gain;
  std::string s = residual == ResidualKind::Pre ? "pre-norm residual" : "post-norm residual";
  if (residual == ResidualKind::Pre && norm == NormKind::None) s = "residual (pre-activation)";
  if (residual == ResidualKind::Post && norm == NormKind::None) s = "residual (post-add)";
  if (norm != NormKind::None) s += " (" + n + ")" + gain;
  const std::string a = scale.inv_sqrt_blocks ? "1/√L" : arch_number_text(scale.value);
  return s + ", α = " + a;
}

std::string Architecture::spec_keys() const {
  ArchitectureOverrides o;
  if (norm != NormKind::None) o.norm = norm;
  if (norm_gain != 1) o.norm_gain = norm_gain;
  if (residual != ResidualKind::None) o.residual = residual;
  if (!(scale == ResidualScale{})) o.scale = scale;
  return o.empty() ? "none" : o.keys_text();
}

void Architecture::validate() const {
  if (!std::isfinite(norm_gain)) {
    throw UsageError("--norm-gain " + arch_number_text(norm_gain) +
                     ": not a number; allowed: any finite number (0 = zero-γ)");
  }
}

Architecture ArchitectureOverrides::apply(Architecture base) const {
  if (norm) base.norm = *norm;
  if (norm_gain) base.norm_gain = *norm_gain;
  if (residual) base.residual = *residual;
  if (scale) base.scale = *scale;
  return base;
}

std::string ArchitectureOverrides::keys_text() const {
  std::string s;
  auto add = [&](const std::string& kv) { s += (s.empty() ? "" : ",") + kv; };
  if (norm) add(std::string("norm=") + norm_name(*norm));
  if (norm_gain) add("norm_gain=" + arch_number_text(*norm_gain));
  if (residual) add(std::string("residual=") + residual_name(*residual));
  if (scale) add("scale=" + scale->text());
  return s;
}

bool ArchitectureOverrides::take(const std::string& key, const std::string& value,
                                 const std::string& head) {
  if (key == "norm") {
    norm = parse_norm(value, head + "norm");
  } else if (key == "norm_gain") {
    double g = 0;
    if (!whole_number(trimmed(value), g))
      throw UsageError(head + "norm_gain '" + value + "': not a number; allowed: a finite number");
    norm_gain = g;
  } else if (key == "residual") {
    residual = parse_residual(value, head + "residual");
  } else if (key == "scale") {
    scale = ResidualScale::parse(value, head + "scale");
  } else {
    return false;
  }
  return true;
}

}  // namespace initscope
