#include "text.h"

#include <algorithm>
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

std::string phase_text(const FixedPoint& fp, bool without_chi) {
  if (fp.phase.empty() || fp.phase == "none") return "";
  if (without_chi || fp.phase == "critical" || !std::isfinite(fp.chi1)) return fp.phase;
  return fp.phase + " \xCF\x87\xE2\x82\x81=" + format_short(fp.chi1);
}

void draw_text(ImDrawList* dl, const ImFont* font, float size, ImVec2 p, ImU32 col,
               const std::string& text) {
  dl->AddText(font, size, ImVec2(std::round(p.x), std::round(p.y)), col, text.c_str(),
              text.c_str() + text.size());
}

namespace {

// Walks "a_{b}c" as runs: ("a", normal), ("b", subscript), ("c", normal). Returns the total
// advance; draws when dl is not null.
float subscripted(ImDrawList* dl, const ImFont* font, float size, ImVec2 p, ImU32 col,
                  const std::string& text) {
  const float sub = 0.7f * size, drop = 0.32f * size;
  float x = p.x;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find("_{", i);
    const size_t close = open == std::string::npos ? open : text.find('}', open + 2);
    const size_t run_end = close == std::string::npos ? text.size() : open;
    const std::string run = text.substr(i, run_end - i);
    if (!run.empty()) {
      if (dl) draw_text(dl, font, size, ImVec2(x, p.y), col, run);
      x += text_size(font, size, run).x;
    }
    if (close == std::string::npos) break;
    const std::string s = text.substr(open + 2, close - open - 2);
    if (dl) draw_text(dl, font, sub, ImVec2(x, p.y + drop), col, s);
    x += text_size(font, sub, s).x;
    i = close + 1;
  }
  return x - p.x;
}

}  // namespace

void draw_subscripted(ImDrawList* dl, const ImFont* font, float size, ImVec2 p, ImU32 col,
                      const std::string& text) {
  subscripted(dl, font, size, p, col, text);
}

ImVec2 subscripted_size(const ImFont* font, float size, const std::string& text) {
  return ImVec2(subscripted(nullptr, font, size, ImVec2(), 0, text), size);
}

float draw_badge(ImDrawList* dl, const ImFont* font, float f, ImVec2 p, const std::string& label,
                 ImU32 background, ImU32 text, ImU32 outline) {
  const float pad = std::round(0.3f * f), s = 0.85f * f;
  const ImVec2 ts = text_size(font, s, label);
  const float w = ts.x + 2 * pad;
  if (dl) {
    const ImVec2 q(p.x + w, p.y + ts.y + 2);
    dl->AddRectFilled(p, q, background, 0.2f * f);
    if (outline) dl->AddRect(p, q, outline, 0.2f * f);
    draw_text(dl, font, s, ImVec2(p.x + pad, p.y + 1), text, label);
  }
  return w;
}

ImVec2 text_size(const ImFont* font, float size, const std::string& text) {
  return font->CalcTextSizeA(size, 1e30f, 0.0f, text.c_str(), text.c_str() + text.size());
}

std::string fit_text(const ImFont* font, float size, const std::string& text, float max_width) {
  if (max_width <= 0) return "";
  if (text_size(font, size, text).x <= max_width) return text;
  const char* ellipsis = "\xE2\x80\xA6";
  const float ew = text_size(font, size, ellipsis).x;
  if (ew > max_width) return "";  // not even "…" fits: nothing rather than a glyph cut in two
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

std::vector<std::string> wrap_text(const ImFont* font, float size, const std::string& text,
                                   float width, int max_lines) {
  std::vector<std::string> lines(1);
  size_t i = 0;
  while (i < text.size()) {
    const size_t j = std::min(text.find(' ', i), text.size());
    const std::string word = text.substr(i, j - i);
    const std::string joined = lines.back().empty() ? word : lines.back() + " " + word;
    if (lines.back().empty() || text_size(font, size, joined).x <= width) {
      lines.back() = joined;
    } else if (static_cast<int>(lines.size()) < max_lines) {
      lines.push_back(word);
    } else {
      lines.back() = fit_text(font, size, joined + " " + text.substr(j), width);
      return lines;
    }
    i = j + 1;
  }
  return lines;
}

}  // namespace initscope::render
