// No clipped text (issue 12): at text ×1, ×1.5, ×2 and ×3 and at 1280×720, 1600×1000 and
// 1920×1080 the window (headless: the app's own frames, draw lists complete, nothing drawn) is
// checked for text cut by its box.
//
// How text is found: every glyph ImGui draws is a textured quad whose texture coordinates are
// that glyph's in the font atlas. So after a frame the draw lists are read back: each glyph quad
// is matched to its glyph (codepoint and full atlas rectangle), glyphs are joined into runs (a
// line of text), and each run is checked against the clip rectangle of its draw command — the
// rectangle of the box that contains it (panel, table column, widget frame):
//   - a glyph whose texture rectangle is shorter than the glyph's was cut on the CPU to a
//     widget's frame (a button label, an input field's text);
//   - a glyph that reaches over the clip rectangle is cut by the scissor test (text running
//     out of its panel). Vertically that is only a cut in a panel that cannot scroll.
// Also: a number wrapped inside itself ("gain 1." ⏎ "41"): a line that ends in a digit and a
// '.' followed by a line starting with a digit.
// The test fails listing every offender: text, its rectangle, the clip rectangle, the panel,
// the scale and the size. Elided text ("…" with the full text in a tooltip) passes: it is
// whole glyphs inside the box.
#include <imgui.h>
#include <imgui_internal.h>  // ImGui::FindWindowByName: a panel's scroll limits

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "app/views.h"
#include "core/init/init_spec.h"
#include "headless_window.h"
#include "render/profiles.h"

namespace initscope::app {
namespace {

struct GlyphInfo {
  unsigned codepoint;
  float u1, v1;   // the glyph's full texture rectangle ends here
  float y0, y1;   // its box below the line's top, at the font's size
  float font_px;  // that font's size
};

// Every glyph of every font in the atlas, by the top-left of its texture rectangle.
std::map<std::pair<float, float>, GlyphInfo> atlas_glyphs() {
  std::map<std::pair<float, float>, GlyphInfo> out;
  for (const ImFont* font : ImGui::GetIO().Fonts->Fonts)
    for (const ImFontGlyph& g : font->Glyphs)
      if (g.Visible && g.Y1 > g.Y0)
        out[{g.U0, g.V0}] = {g.Codepoint, g.U1, g.V1, g.Y0, g.Y1, font->FontSize};
  return out;
}

void append_utf8(std::string& s, unsigned c) {
  if (c < 0x80) {
    s += char(c);
  } else if (c < 0x800) {
    s += char(0xC0 | (c >> 6));
    s += char(0x80 | (c & 0x3F));
  } else {
    s += char(0xE0 | (c >> 12));
    s += char(0x80 | ((c >> 6) & 0x3F));
    s += char(0x80 | (c & 0x3F));
  }
}

// One line of text as drawn: its glyphs' union rectangle and whether any glyph was cut.
struct TextRun {
  std::string text, panel;
  ImVec4 rect{1e30f, 1e30f, -1e30f, -1e30f};  // x0, y0, x1, y1
  ImVec4 clip;
  bool cut = false;
  std::string why;    // how it was cut: "frame" (on the CPU), "edge" (scissor), "bottom"
  float text_px = 0;  // the size the run is drawn at
  float line_top = 0;
};

std::string rect_text(const ImVec4& r) {
  std::ostringstream o;
  o << "[" << r.x << ", " << r.y << " – " << r.z << ", " << r.w << "]";
  return o.str();
}

// The runs of text in this frame's draw data.
std::vector<TextRun> text_runs() {
  const auto glyphs = atlas_glyphs();
  std::vector<TextRun> runs;
  const ImDrawData* data = ImGui::GetDrawData();
  for (int l = 0; l < data->CmdListsCount; ++l) {
    const ImDrawList* dl = data->CmdLists[l];
    const std::string owner = dl->_OwnerName ? dl->_OwnerName : "";
    const ImGuiWindow* window = ImGui::FindWindowByName(owner.c_str());
    const bool scrolls_y = window && window->ScrollMax.y > 0;
    for (const ImDrawCmd& cmd : dl->CmdBuffer) {
      const ImDrawIdx* idx = dl->IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* vtx = dl->VtxBuffer.Data + cmd.VtxOffset;
      const ImVec4 clip = cmd.ClipRect;
      TextRun* run = nullptr;
      float last_x1 = 0;
      for (unsigned i = 0; i + 6 <= cmd.ElemCount;) {
        const unsigned a = idx[i];
        // A glyph is one quad: indices a, a+1, a+2, a, a+2, a+3 (ImFont::RenderText).
        const bool quad = idx[i + 1] == a + 1 && idx[i + 2] == a + 2 && idx[i + 3] == a &&
                          idx[i + 4] == a + 2 && idx[i + 5] == a + 3;
        const auto g = quad ? glyphs.find({vtx[a].uv.x, vtx[a].uv.y}) : glyphs.end();
        if (g == glyphs.end()) {
          i += quad ? 6 : 3;
          if (quad) run = nullptr;  // a rectangle between glyphs ends the run
          continue;
        }
        i += 6;
        const GlyphInfo& info = g->second;
        const ImDrawVert& p0 = vtx[a];
        const ImDrawVert& p1 = vtx[a + 2];
        // A frame cut at the top or bottom edge of a panel that scrolls is scrolled, not cut.
        const bool scrolled_out =
            scrolls_y && (p1.pos.y >= clip.w - 0.5f || p0.pos.y <= clip.y + 0.5f);
        const bool trimmed = p1.uv.x != info.u1 || (p1.uv.y != info.v1 && !scrolled_out);
        // The size it is drawn at (from its height, unless the bottom was cut off) and the top
        // of its line.
        const float px = trimmed && run
                             ? run->text_px
                             : info.font_px * (p1.pos.y - p0.pos.y) / (info.y1 - info.y0);
        const float top = p0.pos.y - info.y0 * px / info.font_px;
        const bool same_line = run && std::fabs(top - run->line_top) < 0.25f * px &&
                               p0.pos.x > last_x1 - 0.3f * px && p0.pos.x < last_x1 + 1.2f * px;
        if (!same_line) {
          runs.push_back(TextRun{});
          run = &runs.back();
          run->panel = owner;
          run->clip = clip;
          run->text_px = px;
          run->line_top = top;
        } else if (p0.pos.x > last_x1 + 0.2f * px) {
          run->text += ' ';
        }
        append_utf8(run->text, info.codepoint);
        run->rect = ImVec4(std::min(run->rect.x, p0.pos.x), std::min(run->rect.y, p0.pos.y),
                           std::max(run->rect.z, p1.pos.x), std::max(run->rect.w, p1.pos.y));
        // Cut on the CPU (to a widget's frame), or over the clip rectangle, or so close to its
        // edge that the next glyph was dropped (panels keep half their padding inside it).
        const float edge = 0.25f * px;
        const bool over_x = p1.pos.x > clip.z - edge || p0.pos.x < clip.x - 0.5f;
        const bool over_y = !scrolls_y && (p1.pos.y > clip.w - edge || p0.pos.y < clip.y - 0.5f);
        if (!run->cut && (trimmed || over_x || over_y))
          run->why = trimmed  ? "cut to its frame"
                     : over_x ? "over its box's side"
                              : "over its box's bottom";
        run->cut = run->cut || trimmed || over_x || over_y;
        last_x1 = p1.pos.x;
      }
    }
  }
  return runs;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// What is wrong with this frame's text: one line per offender.
std::vector<std::string> offenders() {
  std::vector<std::string> out;
  const std::vector<TextRun> runs = text_runs();
  for (size_t i = 0; i < runs.size(); ++i) {
    const TextRun& r = runs[i];
    if (r.cut)
      out.push_back("cut (" + r.why + "): \"" + r.text + "\" at " + rect_text(r.rect) + ", clip " +
                    rect_text(r.clip) + " in " + r.panel);
    // A number broken over two lines: "… 1." then "41 …" on the next line of the same panel.
    if (i + 1 < runs.size() && r.text.size() >= 2 && runs[i + 1].panel == r.panel &&
        is_digit(r.text[r.text.size() - 2]) && r.text.back() == '.' && !runs[i + 1].text.empty() &&
        is_digit(runs[i + 1].text.front()) && runs[i + 1].line_top > r.line_top + 0.5f * r.text_px)
      out.push_back("number wrapped: \"" + r.text + "\" / \"" + runs[i + 1].text + "\" in " +
                    r.panel);
  }
  return out;
}

struct WindowSize {
  float w, h;
};

// The window at one text size and window size, normal and presenting: the offenders, each with
// where it was seen.
void check_sizes(test::HeadlessWindow& win, const std::string& what, std::vector<std::string>& all,
                 size_t& runs_seen) {
  for (bool presenting : {false, true}) {
    win.app().set_presenting(presenting, /*raise_text=*/false);
    for (float scale : {1.0f, 1.5f, 2.0f, 3.0f})
      for (WindowSize size :
           {WindowSize{1280, 720}, WindowSize{1600, 1000}, WindowSize{1920, 1080}}) {
        win.set_size(size.w, size.h);
        win.set_font_scale(scale);
        win.settle();
        runs_seen += text_runs().size();
        std::ostringstream where;
        where << what << (presenting ? ", presenting" : "") << ", text \xC3\x97" << scale << ", "
              << size.w << "\xC3\x97" << size.h << ": ";
        for (const std::string& o : offenders()) all.push_back(where.str() + o);
      }
  }
}

// Every combination of text size and window size, in normal and in presentation mode, for the
// `compare` preset and for long specs (parameters, a bias: what the controls and the column
// headers must show whole or cut with "…").
TEST(NoClippedText, EveryTextScaleAndWindowSize) {
  test::HeadlessWindow win("compare");
  ASSERT_TRUE(win.has_snapshot());
  std::vector<std::string> all;
  size_t runs_seen = 0;
  check_sizes(win, "compare", all, runs_seen);

  Experiment e = win.app().current;
  e.inits = {
      InitSpec::parse("kaiming_normal:nonlinearity=relu"),
      InitSpec::parse("variance_scaling:scale=2.78,mode=fan_in,distribution=untruncated_normal"),
      InitSpec::parse("orthogonal:gain=1.41"), InitSpec::parse("xavier_uniform")};
  e.bias = InitSpec::parse("normal:std=0.2236");
  ASSERT_EQ(win.app().apply(e), "");
  win.app().controls.sync(win.app().current);
  auto s = win.app().runner.latest();
  for (int i = 0; i < 600 && (!s || s->columns.front().init != e.inits.front().text); ++i)
    s = win.app().runner.wait_for_snapshot(win.app().runner.status().updates + 1, 1);
  ASSERT_EQ(s->columns.front().init, e.inits.front().text);
  check_sizes(win, "long specs", all, runs_seen);

  EXPECT_GT(runs_seen, 48u * 20u)
      << "the reader found (almost) no text: is it still reading glyphs?";
  std::string list;
  for (const std::string& o : all) list += "  " + o + "\n";
  EXPECT_TRUE(all.empty()) << all.size() << " clipped text items:\n" << list;
}

// The signal view (issue 13) of a residual preset with a long title: no text cut, its title
// whole ("…" is allowed elsewhere, not in the title) at every text size and window size, and the
// preset's heading whole where there is room for it (at ×3 on 1080 lines the plots take it).
TEST(NoClippedText, SignalViewTitleIsWholeAtEveryTextScale) {
  test::HeadlessWindow win("pre-vs-post-ln");
  ASSERT_TRUE(win.has_snapshot());
  win.app().set_view(FigureView::Signal);
  std::vector<std::string> all;
  size_t runs_seen = 0;
  check_sizes(win, "signal view", all, runs_seen);
  const char* const heading_text = "Pre-LN grows linearly, post-LN stays flat";
  for (float scale : {1.0f, 2.0f, 3.0f}) {
    win.set_size(1920, 1080);
    win.set_font_scale(scale);
    win.settle();
    bool title = false, heading = false;
    for (const TextRun& r : text_runs()) {
      if (r.panel != "##signal") continue;
      const bool elided = r.text.find("\xE2\x80\xA6") != std::string::npos;
      if (r.text.rfind("Signal propagation", 0) == 0) {
        title = true;
        EXPECT_FALSE(elided) << "text \xC3\x97" << scale << ": " << r.text;
      }
      if (r.text.find("Pre-LN grows") != std::string::npos) {
        EXPECT_FALSE(elided) << "text \xC3\x97" << scale << ": " << r.text;
        heading = heading || r.text.find(heading_text) != std::string::npos;
      }
    }
    EXPECT_TRUE(title) << "text \xC3\x97" << scale;
    // Nothing drawn over the plots: each keeps 2 font sizes of height above the caption.
    AppState& app = win.app();
    const UiMetrics m = app.metrics();
    const Rect fr = figure_rect(app.last_layout, m);
    const render::ProfileLayout lay = render::signal_layout(
        ImVec2(fr.x, fr.y), ImVec2(fr.w, fr.h), *app.snap, app.figure_options(), m.font_px);
    for (const render::ProfilePanel& p : lay.panels) {
      EXPECT_LE(p.plot.y1, lay.caption_y + 0.5f) << "text \xC3\x97" << scale;
      EXPECT_GE(p.plot.y1 - p.plot.y0, 2 * m.font_px)
          << "text \xC3\x97" << scale << ": plot height " << p.plot.y1 - p.plot.y0;
    }
    if (scale <= 2.0f) {
      EXPECT_TRUE(heading) << "text \xC3\x97" << scale << ": the heading, whole";
    }
  }
  EXPECT_GT(runs_seen, 24u * 5u) << "the reader found (almost) no text";
  std::string list;
  for (const std::string& o : all) list += "  " + o + "\n";
  EXPECT_TRUE(all.empty()) << all.size() << " clipped text items:\n" << list;
}

// A long spec is shown whole (wrapped) until clicked; the click opens it for editing, and a
// typed spec + Enter is applied.
TEST(NoClippedText, AWrappedSpecIsEditedByAClick) {
  test::HeadlessWindow win("compare", /*scripted=*/false);
  ASSERT_TRUE(win.has_snapshot());
  AppState& app = win.app();
  Experiment e = app.current;
  e.inits[0] =
      InitSpec::parse("variance_scaling:scale=2.78,mode=fan_in,distribution=untruncated_normal");
  ASSERT_EQ(app.apply(e), "");
  app.controls.sync(app.current);
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
  win.settle();
  const TextRun* spec = nullptr;
  const std::vector<TextRun> runs = text_runs();
  for (const TextRun& r : runs)
    if (r.panel == "##controls" && r.text == "variance_scaling:scale=2.78,") spec = &r;
  ASSERT_NE(spec, nullptr) << "the spec's first line, wrapped after ','";
  io.MousePos = ImVec2((spec->rect.x + spec->rect.z) / 2, (spec->rect.y + spec->rect.w) / 2);
  win.frame();
  io.MouseDown[0] = true;
  win.frame();
  io.MouseDown[0] = false;
  win.settle(4);  // the field replaces the wrapped text, then takes the keyboard
  ASSERT_TRUE(io.WantTextInput) << "the click opens the spec for editing";
  io.KeyCtrl = true;
  win.press(GLFW_KEY_A);  // select all
  io.KeyCtrl = false;
  io.AddInputCharactersUTF8("xavier_normal");
  win.frame();
  win.press(GLFW_KEY_ENTER);
  EXPECT_EQ(app.current.inits[0].text, "xavier_normal");
  win.settle();
  EXPECT_FALSE(io.WantTextInput);
}

// The reader itself: text running out of a narrow panel and button labels wider than their
// button are reported cut; text that fits is not.
TEST(NoClippedText, TheReaderSeesCutText) {
  test::HeadlessWindow win("compare");
  win.settle(1);
  ImGui::NewFrame();
  ImGui::SetNextWindowPos(ImVec2(10, 10));
  ImGui::SetNextWindowSize(ImVec2(300, 600));
  ImGui::Begin("probe", nullptr, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollbar);
  ImGui::Text("number 1.41");
  // ImGui's own wrapping breaks after a '.': "gain 1." / "41".
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + ImGui::CalcTextSize("gain 1.4").x);
  ImGui::TextWrapped("gain 1.41");
  ImGui::PopTextWrapPos();
  ImGui::Button("fits");
  // Labels cut at 20 different places by their frames.
  for (int i = 0; i < 20; ++i) ImGui::Button("a label far too long", ImVec2(60.0f + i, 0));
  ImGui::End();
  ImGui::SetNextWindowPos(ImVec2(400, 10));
  ImGui::SetNextWindowSize(ImVec2(200, 600));
  ImGui::Begin("narrow", nullptr, ImGuiWindowFlags_NoSavedSettings);
  for (int i = 0; i < 20; ++i) {
    ImGui::Dummy(ImVec2(float(i), 0));
    ImGui::SameLine();
    ImGui::TextUnformatted("a line of text running out of its panel");
  }
  ImGui::End();
  ImGui::Render();
  bool wrapped_number = false;
  for (const std::string& o : offenders())
    wrapped_number = wrapped_number || o.rfind("number wrapped: \"gain 1.\"", 0) == 0;
  EXPECT_TRUE(wrapped_number) << "\"gain 1.\" / \"41\" must be found";
  int cut_labels = 0, cut_lines = 0;
  bool fits_ok = false, number_ok = false;
  for (const TextRun& r : text_runs()) {
    if (r.panel == "narrow" && r.text.rfind("a line", 0) == 0) cut_lines += r.cut;
    if (r.panel != "probe") continue;
    if (r.text.rfind("a l", 0) == 0) cut_labels += r.cut;
    if (r.text == "fits") fits_ok = !r.cut;
    if (r.text == "number 1.41") number_ok = !r.cut;
  }
  std::printf("lines cut by their panel found: %d of 20\n", cut_lines);
  EXPECT_GE(cut_lines, 18) << "text running out of its panel must be found (the cut may fall in "
                              "a space, just after a glyph)";
  EXPECT_GE(cut_labels, 10) << "most labels cut by their frames must be found (a cut that falls "
                               "between two glyphs leaves no trace)";
  std::printf("labels cut by their frames found: %d of 20\n", cut_labels);
  EXPECT_TRUE(fits_ok) << "a label that fits must be found, not cut";
  EXPECT_TRUE(number_ok) << "\"number 1.41\" must be read as one run";
}

}  // namespace
}  // namespace initscope::app
