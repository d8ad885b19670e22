#include "text.h"

#include <cmath>
#include <cstdio>
#include <cstring>

namespace initscope::render {
namespace {

// printf's "-1.5e-05" → "−1.5e−5": typographic minus signs, no '+' or leading zeros in the
// exponent.
std::string typographic_minus(const char* s) {
  std::string out;
  bool in_exponent = false;
  for (const char* p = s; *p; ++p) {
    if (*p == 'e') {
      in_exponent = true;
      out += 'e';
      if (p[1] == '+') ++p;
      continue;
    }
    if (*p == '-') {
      out += "\xE2\x88\x92";
      continue;
    }
    if (in_exponent && *p == '0' && p[1] != '\0') continue;  // leading zeros of the exponent
    out += *p;
  }
  return out;
}

std::string format_digits(double v, int digits) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "\xE2\x88\x9E" : "\xE2\x88\x92\xE2\x88\x9E";
  char buf[32];
  const double a = std::fabs(v);
  if (v == 0)
    std::snprintf(buf, sizeof buf, "0");
  else if (a < 1e-3 || a >= 1e5)
    std::snprintf(buf, sizeof buf, "%.*g", digits - 1, v);
  else
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return typographic_minus(buf);
}

}  // namespace

std::string format_number(double v) {
  return format_digits(v, 3);
}
std::string format_short(double v) {
  return format_digits(v, 2);
}

std::string format_percent(double fraction) {
  char buf[32];
  const double p = fraction * 100;
  if (p == 0 || p >= 99.95 || std::fabs(p - std::round(p)) < 0.05)
    std::snprintf(buf, sizeof buf, "%.0f%%", p);
  else if (p < 0.1)
    std::snprintf(buf, sizeof buf, "%.2g%%", p);
  else
    std::snprintf(buf, sizeof buf, "%.1f%%", p);
  return buf;
}

std::string format_bytes(double bytes) {
  char buf[32];
  if (bytes < 1e6)
    std::snprintf(buf, sizeof buf, "%.0f KB", bytes / 1e3);
  else if (bytes < 1e9)
    std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
  else
    std::snprintf(buf, sizeof buf, "%.1f GB", bytes / 1e9);
  return buf;
}

ImVec2 text_size(const ImFont* font, float size, const std::string& text) {
  return font->CalcTextSizeA(size, 1e30f, 0.0f, text.c_str(), text.c_str() + text.size());
}

std::string fit_text(const ImFont* font, float size, const std::string& text, float max_width) {
  if (max_width <= 0) return "";
  if (text_size(font, size, text).x <= max_width) return text;
  const char* ellipsis = "\xE2\x80\xA6";
  const float ew = text_size(font, size, ellipsis).x;
  // Walk UTF-8 code points, keep the longest prefix that fits with the ellipsis.
  size_t keep = 0;
  for (size_t i = 0; i < text.size();) {
    size_t next = i + 1;
    while (next < text.size() && (static_cast<unsigned char>(text[next]) & 0xC0) == 0x80) ++next;
    const float w = font->CalcTextSizeA(size, 1e30f, 0.0f, text.c_str(), text.c_str() + next).x;
    if (w + ew > max_width) break;
    keep = next;
    i = next;
  }
  return text.substr(0, keep) + ellipsis;
}

}  // namespace initscope::render
