#pragma once
// JSON in and out under the input-safety rules (docs/ARCHITECTURE.md "Input safety"):
// output never throws on a string that is not UTF-8 (a folder named with byte 0xFF), input is
// bounded in depth and size, and a bad value is quoted by a short prefix only.
#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "limits.h"

namespace initscope {

// j.dump(indent) with invalid UTF-8 replaced by U+FFFD instead of throwing type_error 316. Every
// JSON the program writes goes through here.
template <typename Json>
std::string json_text(const Json& j, int indent = -1) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// A measured or predicted number, null where it is NaN/Inf — JSON has no NaN.
inline nlohmann::ordered_json number_or_null(double v) {
  return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr);
}

// At most limits::kQuotedChars characters of the value's JSON text, for messages.
template <typename Json>
std::string json_excerpt(const Json& j) {
  return quoted_prefix(json_text(j));
}

// Parses a --config document: nesting at most limits::kJsonDepth, at most limits::kJsonValues
// values kept; in a `stats` document (first key "config") the keys after "config" — the
// snapshot — are skipped unread into memory. Throws UsageError "SOURCE: …" (line and column
// for syntax errors).
nlohmann::json parse_json_bounded(const std::string& text, const std::string& source);

}  // namespace initscope
