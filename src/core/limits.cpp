#include "limits.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "error.h"

namespace initscope {
namespace {

// %g would print 65536 as 65536 but 1e12 as 1e+12 and 2^62 as 4.61169e+18: integers whole.
std::string number_text(double v, bool integer) {
  char buf[64];
  if (integer) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%g", v);
  }
  return buf;
}

std::string range_text(double lo, double hi, bool integer) {
  return std::string(integer ? "an integer" : "a number") + " from " + number_text(lo, integer) +
         " to " + number_text(hi, integer);
}

}  // namespace

bool Limit::allows(double v) const {
  return std::isfinite(v) && v >= lo && v <= hi && (!integer || std::floor(v) == v);
}

double Limit::clamp(double v) const {
  return std::isfinite(v) ? std::clamp(v, lo, hi) : lo;
}

std::string Limit::range_text() const {
  return initscope::range_text(lo, hi, integer);
}

void Limit::check(double v) const {
  if (!allows(v))
    throw UsageError(std::string(option) + " " + number_text(v, integer && std::isfinite(v)) +
                     ": must be " + range_text());
}

double Limit::parse(const std::string& text) const {
  return integer ? static_cast<double>(parse_int(text)) : parse_number(option, text, lo, hi);
}

long long Limit::parse_int(const std::string& text) const {
  return parse_integer(option, text, static_cast<long long>(lo), static_cast<long long>(hi));
}

long long parse_integer(const std::string& option, const std::string& text, long long lo,
                        long long hi) {
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || errno == ERANGE || v < lo || v > hi) {
    throw UsageError(option + " '" + quoted_prefix(text) + "': must be " +
                     range_text(double(lo), double(hi), true));
  }
  return v;
}

double parse_number(const std::string& option, const std::string& text, double lo, double hi) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v) || v < lo || v > hi) {
    throw UsageError(option + " '" + quoted_prefix(text) + "': must be " +
                     range_text(lo, hi, false));
  }
  return v;
}

std::vector<int> parse_widths(const std::string& text, const std::string& option,
                              const std::string& hint) {
  const Limit& w = limits::kWidth;
  std::vector<int> out;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    std::string part = text.substr(start, comma == std::string::npos ? comma : comma - start);
    part.erase(0, part.find_first_not_of(" \t"));
    part.erase(part.find_last_not_of(" \t") + 1);
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(part.c_str(), &end, 10);
    if (part.empty() || end != part.c_str() + part.size() || errno == ERANGE || !w.allows(v))
      throw UsageError((option.empty() ? std::string(w.option) : option) + " '" +
                       quoted_prefix(text) + "': each width must be " + w.range_text() + "; " +
                       (hint.empty() ? "give one width or one per layer, like 500,400,300" : hint));
    out.push_back(static_cast<int>(v));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string quoted_prefix(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t cut = max;
  // Back up to the first byte of a UTF-8 sequence (not 10xxxxxx).
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

}  // namespace initscope
