#include "json_text.h"

#include "error.h"

namespace initscope {
namespace {

using Event = nlohmann::json::parse_event_t;

// Counts and depth checks for nlohmann's parser callback (depth: 0 = the document itself).
// nlohmann 3.11's parser is iterative, but dump() and the error paths recurse; the cap keeps
// every later walk shallow.
class BoundedParse {
 public:
  explicit BoundedParse(const std::string& source) : source_(source) {}

  bool operator()(int depth, Event event, nlohmann::json& parsed) {
    if ((event == Event::object_start || event == Event::array_start) &&
        depth >= limits::kJsonDepth)
      throw UsageError(source_ + ": JSON nested deeper than " + std::to_string(limits::kJsonDepth) +
                       " levels");
    if (event == Event::key && depth == 1) {
      // Keys after "config" in a stats document are the snapshot: skip (returning false drops
      // the key and everything under it, unstored).
      skipping_ = config_seen_;
      if (parsed == "config") config_seen_ = true;
      return !skipping_;
    }
    if (!skipping_ &&
        (event == Event::value || event == Event::object_start || event == Event::array_start) &&
        ++values_ > limits::kJsonValues)
      throw UsageError(source_ + ": more than " + std::to_string(limits::kJsonValues) +
                       " JSON values; an experiment has at most one per layer");
    return true;
  }

 private:
  const std::string& source_;
  size_t values_ = 0;
  bool config_seen_ = false, skipping_ = false;
};

// nlohmann reports a byte offset; people want line and column.
std::string line_column(const std::string& text, size_t byte) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

}  // namespace

nlohmann::json parse_json_bounded(const std::string& text, const std::string& source) {
  try {
    return nlohmann::json::parse(text, BoundedParse(source));
  } catch (const nlohmann::json::out_of_range& e) {
    // "[json.exception.out_of_range.406] number overflow parsing '<all its digits>'".
    std::string what = e.what();
    what = what.substr(what.find("] ") + 2);
    throw UsageError(source + ": invalid JSON: " + quoted_prefix(what, 80));
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 15: <why>";
    // keep only <why> (it quotes the last token read, which can be long: cut it).
    std::string what = e.what();
    const auto pos = what.find(": ", what.find("parse error"));
    if (pos != std::string::npos) what = what.substr(pos + 2);
    constexpr size_t kWhyChars = 160;  // the reason in full, a long token cut
    throw UsageError(source + ": invalid JSON at " + line_column(text, e.byte) + ": " +
                     quoted_prefix(what, kWhyChars));
  }
}

}  // namespace initscope
