// Parsing and validation of init specs `NAME[:key=value[,key=value...]]` against the scheme
// table. Every error is one line: "<option> '<spec>': <what is wrong>; allowed: <what is>".
#include "init_spec.h"

#include <charconv>
#include <cmath>
#include <set>
#include <stdexcept>

#include "core/did_you_mean.h"
#include "core/error.h"
#include "core/limits.h"

namespace initscope {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

std::string shortest(double x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

// Locale-independent and strict: the whole text must be one finite number.
bool parse_finite(const std::string& text, double& out) {
  if (text.empty()) return false;
  const char* first = text.data() + (text[0] == '+' ? 1 : 0);
  const char* last = text.data() + text.size();
  const auto r = std::from_chars(first, last, out);
  return r.ec == std::errc() && r.ptr == last && std::isfinite(out);
}

std::vector<std::string> scheme_names_and_aliases() {
  std::vector<std::string> names;
  for (const auto& s : init_schemes()) {
    names.push_back(s.name);
    for (const auto& a : s.aliases) names.push_back(a);
  }
  return names;
}

std::string allowed_names() {
  std::vector<std::string> names, aliases;
  for (const auto& s : init_schemes()) {
    names.push_back(s.name);
    for (const auto& a : s.aliases) aliases.push_back(a);
  }
  return join(names) + " (aliases: " + join(aliases) + ")";
}

// "a finite number >= 0", "a finite number in [0, 1)", "a finite number or 'auto'".
std::string number_rule(const ParamDef& p) {
  std::string rule = "a finite number";
  const bool has_min = p.min > -1e300, has_max = p.max < 1e300;
  if (has_min && has_max)
    rule += std::string(" in ") + (p.min_exclusive ? "(" : "[") + shortest(p.min) + ", " +
            shortest(p.max) + (p.max_exclusive ? ")" : "]");
  else if (has_min)
    rule += (p.min_exclusive ? " > " : " >= ") + shortest(p.min);
  else if (has_max)
    rule += (p.max_exclusive ? " < " : " <= ") + shortest(p.max);
  if (p.allow_auto) rule += " or 'auto'";
  return rule;
}

bool in_range(const ParamDef& p, double x) {
  if (p.min_exclusive ? !(x > p.min) : !(x >= p.min)) return false;
  if (p.max_exclusive ? !(x < p.max) : !(x <= p.max)) return false;
  return true;
}

// Checks one value against its definition; returns an error text or "".
std::string check_value(const ParamDef& p, const std::string& value) {
  if (p.kind == ParamDef::Kind::Choice) {
    for (const auto& c : p.choices)
      if (c == value) return "";
    return "value '" + value + "' for " + p.name + " is not allowed; allowed: " + join(p.choices);
  }
  if (value == "auto" && p.allow_auto) return "";
  double x = 0;
  if (!parse_finite(value, x))
    return "value '" + value + "' for " + p.name + " is not a number; allowed: " + number_rule(p);
  if (!in_range(p, x)) return p.name + "=" + value + " is out of range; allowed: " + number_rule(p);
  if (!limits::kSpecParameter.allows(x))  // finite here, yet float weights would overflow
    return p.name + "=" + value +
           " is out of range; allowed: " + limits::kSpecParameter.range_text() +
           " (float weights stay finite)";
  return "";
}

double to_number(const std::string& text) {
  double x = 0;
  if (!parse_finite(text, x)) throw std::logic_error("init spec value is not a number: " + text);
  return x;
}

// "kaiming_normal:a=0.1,mode=fan_out": the canonical name and these keys' values.
std::string name_with(const InitSpec& spec, const std::vector<std::string>& keys) {
  std::string out = spec.scheme->name;
  char sep = ':';
  for (const auto& key : keys) {
    out += sep + key + "=" + spec.values.at(key);
    sep = ',';
  }
  return out;
}

}  // namespace

InitSpec InitSpec::parse(const std::string& text, const std::string& option) {
  const std::string head = option + " '" + text + "': ";
  const std::string s = trim(text);
  if (s.empty())
    throw UsageError(head + "empty init spec; expected NAME[:key=value,...], NAME one of " +
                     allowed_names());
  const auto colon = s.find(':');
  const std::string name = trim(s.substr(0, colon));
  InitSpec spec;
  spec.text = text;
  spec.scheme = find_init_scheme(name);
  if (!spec.scheme)
    throw UsageError(head + "unknown init scheme '" + name + "'; " +
                     did_you_mean(name, scheme_names_and_aliases()) +
                     "allowed: " + allowed_names());
  const auto& params = spec.scheme->params;
  std::vector<std::string> keys;
  for (const auto& p : params) keys.push_back(p.name);
  const std::string allowed_keys =
      keys.empty() ? "none (" + spec.scheme->name + " takes no parameters)" : join(keys);

  if (colon != std::string::npos) {
    const std::string body = s.substr(colon + 1);
    std::set<std::string> seen_arch;
    size_t start = 0;
    while (true) {
      const size_t comma = body.find(',', start);
      const std::string item = trim(body.substr(start, comma - start));
      if (item.empty())
        throw UsageError(head + "empty parameter; expected key=value[,key=value...] after '" +
                         name + ":'; allowed keys: " + allowed_keys);
      const auto eq = item.find('=');
      if (eq == std::string::npos)
        throw UsageError(head + "'" + item + "' is not key=value; allowed keys: " + allowed_keys);
      const std::string key = trim(item.substr(0, eq));
      const std::string value = trim(item.substr(eq + 1));
      const ParamDef* def = nullptr;
      for (const auto& p : params)
        if (p.name == key) def = &p;
      if (!def && seen_arch.count(key)) throw UsageError(head + "duplicate key '" + key + "'");
      if (!def && spec.arch.take(key, value, head)) {
        seen_arch.insert(key);
        if (comma == std::string::npos) break;
        start = comma + 1;
        continue;
      }
      if (!def)
        throw UsageError(head + "unknown key '" + key + "' for " + spec.scheme->name +
                         "; allowed: " + allowed_keys +
                         (option == "--init" ? std::string(" (and the column's architecture: ") +
                                                   kArchitectureKeys + ")"
                                             : std::string()));
      if (spec.values.count(key)) throw UsageError(head + "duplicate key '" + key + "'");
      if (value.empty()) {
        const std::string rule =
            def->kind == ParamDef::Kind::Choice ? join(def->choices) : number_rule(*def);
        throw UsageError(head + "empty value for '" + key + "'; allowed: " + rule);
      }
      const std::string problem = check_value(*def, value);
      if (!problem.empty()) throw UsageError(head + problem);
      spec.values[key] = value;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  for (const auto& p : params) {
    if (spec.values.count(p.name))
      spec.given.push_back(p.name);
    else
      spec.values[p.name] = p.default_value;
  }
  if (spec.scheme->check) {
    const std::string problem = spec.scheme->check(spec);
    if (!problem.empty()) throw UsageError(head + problem);
  }
  return spec;
}

std::string InitSpec::canonical() const {
  if (!scheme) return text;
  std::vector<std::string> keys;
  for (const auto& p : scheme->params) keys.push_back(p.name);
  const std::string own = name_with(*this, keys);
  if (arch.empty()) return own;
  // The column's architecture keys after the scheme's (only those written).
  const std::string a = arch.keys_text();
  return own + (own.find(':') == std::string::npos ? ":" : ",") + a;
}

std::string InitSpec::stream_text() const {
  if (!scheme) return text;
  return name_with(*this, given);
}

double InitSpec::number(const std::string& key, const Activation& act) const {
  const auto it = values.find(key);
  if (it == values.end()) throw std::logic_error("init spec '" + text + "' has no key " + key);
  if (it->second == "auto") return act.gain();
  return to_number(it->second);
}

const std::string& InitSpec::choice(const std::string& key) const {
  const auto it = values.find(key);
  if (it == values.end()) throw std::logic_error("init spec '" + text + "' has no key " + key);
  return it->second;
}

}  // namespace initscope
