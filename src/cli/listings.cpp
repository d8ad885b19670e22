#include <sstream>

#include "commands.h"
#include "core/init/init_spec.h"
#include "core/lesson.h"
#include "core/presets.h"

namespace initscope {
namespace {

// Wraps text at `width` columns, every line indented by `indent` spaces.
std::string wrap(const std::string& text, size_t indent, size_t width) {
  std::istringstream words(text);
  std::string word, out, line;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width - indent) {
      out += std::string(indent, ' ') + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += std::string(indent, ' ') + line + "\n";
  return out;
}

}  // namespace

std::string inits_listing() {
  std::ostringstream o;
  o << "Init schemes (spec grammar NAME[:key=value[,key=value...]]; fan_in = inputs of the layer,\n"
       "fan_out = its outputs; gain=auto = the gain of the network's activation):\n";
  for (const InitScheme& s : init_schemes()) {
    o << "\n" << s.name;
    if (!s.aliases.empty()) {
      o << "  (alias";
      for (const auto& a : s.aliases) o << " " << a;
      o << ")";
    }
    o << " — " << s.title << "\n    " << s.formula << "\n";
    for (const ParamDef& p : s.params) {
      o << "    " << p.name << "=" << p.default_value;
      if (p.kind == ParamDef::Kind::Choice) {
        o << "  one of:";
        for (const auto& c : p.choices) o << " " << c;
      }
      if (!p.help.empty()) o << "  — " << p.help;
      o << "\n";
    }
  }
  return o.str();
}

std::string presets_listing() {
  std::ostringstream o;
  int key = 1;
  for (const PresetInfo& p : preset_list()) {
    o << p.name;
    if (key <= 9) o << "  [key " << key << "]";  // the window's keys 1–9 pick the first nine
    ++key;
    o << "  " << p.title << "\n" << wrap(p.narrative, 4, 96) << "\n";
  }
  return o.str();
}

std::string lessons_listing() {
  std::ostringstream o;
  for (const LessonInfo& l : lesson_list())
    o << l.name << "  " << l.title << "  (" << l.steps << " steps)\n";
  return o.str();
}

}  // namespace initscope
