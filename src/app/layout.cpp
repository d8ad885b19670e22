#include "layout.h"

#include <algorithm>
#include <cmath>

namespace initscope::app {

UiMetrics ui_metrics(float f) {
  UiMetrics m;
  m.font_px = f;
  m.pad = std::round(0.6f * f);
  m.frame_pad_x = std::round(0.45f * f);
  m.frame_pad_y = std::round(0.22f * f);
  m.menu_h = f + 2 * m.frame_pad_y;
  m.status_h = std::round(f + 0.8f * f);
  m.tabs_h = std::round(f + 2 * m.frame_pad_y + 0.5f * f);
  return m;
}

MainLayout main_layout(float width, float height, const UiMetrics& m, const PanelToggles& t,
                       bool has_narrative, float grid_needed_h) {
  MainLayout l;
  const float f = m.font_px;
  l.menu = {0, 0, width, m.menu_h};
  l.status = {0, height - m.status_h, width, m.status_h};
  const float top = m.menu_h;
  float body_h = std::max(0.0f, height - m.menu_h - m.status_h);

  // The figure comes first: side panels are capped, and when the centre would still be
  // narrower than kMinCentre font sizes, the narrative gives way, then the controls.
  const float controls_w = std::round(std::clamp(22.0f * f, 260.0f, 0.26f * width));
  const float narrative_w = std::round(std::clamp(17.0f * f, 220.0f, 0.2f * width));
  bool controls = t.controls, narrative = t.narrative && has_narrative;
  auto centre = [&] { return width - (controls ? controls_w : 0) - (narrative ? narrative_w : 0); };
  if (narrative && centre() < kMinCentre * f) narrative = false, l.narrative_squeezed = true;
  if (controls && centre() < kMinCentre * f) controls = false, l.controls_squeezed = true;
  const float x0 = controls ? controls_w : 0, x1 = width - (narrative ? narrative_w : 0);
  if (controls) l.controls = {0, top, controls_w, body_h};
  if (narrative) l.narrative = {x1, top, narrative_w, body_h};

  // The view tabs on top of the centre.
  const float cw = std::max(0.0f, x1 - x0);
  l.tabs = {x0, top, cw, m.tabs_h};
  const float fig_top = top + m.tabs_h;
  body_h = std::max(0.0f, body_h - m.tabs_h);

  // Profiles take about a quarter of the height. When that makes the grid scroll, they shrink
  // (to 8 font sizes) if that lets every row show, or give way entirely if only that does; when
  // the grid scrolls anyway (deep nets), they keep their share — then they are the overview.
  float grid_h = body_h;
  if (t.profiles) {
    float ph =
        std::round(std::clamp(0.27f * body_h, std::min(10.0f * f, 0.45f * body_h), 0.45f * body_h));
    const float min_ph = std::min(8.0f * f, ph);
    if (grid_needed_h > 0 && body_h - ph < grid_needed_h) {
      if (body_h - min_ph >= grid_needed_h) {
        ph = std::round(body_h - grid_needed_h);
      } else if (body_h >= grid_needed_h) {
        ph = 0;
        l.profiles_squeezed = true;
      }
    }
    // Below its smallest readable height (a plot between its title and its ticks) the
    // profiles row folds away rather than draw its labels over the status bar.
    if (ph > 0 && ph < kMinProfiles * f) {
      ph = 0;
      l.profiles_squeezed = true;
    }
    if (ph > 0) {
      grid_h = body_h - ph;
      l.profiles = {x0, fig_top + grid_h, cw, ph};
    }
  }
  l.figure = {x0, fig_top, cw, grid_h};
  return l;
}

MainLayout presentation_layout(float width, float height, const UiMetrics& m, float narrative_w,
                               bool profiles, float grid_needed_h) {
  MainLayout l;
  const float f = m.font_px;
  narrative_w = std::round(std::min(narrative_w, width - kMinCentre * f));
  const float x1 = narrative_w > 0 ? width - narrative_w : width;
  if (narrative_w > 0) l.narrative = {x1, 0, narrative_w, height};
  float grid_h = height;
  if (profiles) {
    const float ph =
        std::round(std::clamp(0.27f * height, std::min(8.0f * f, 0.45f * height), 0.45f * height));
    if (height - ph >= grid_needed_h) {
      grid_h = height - ph;
      l.profiles = {0, grid_h, x1, ph};
    } else {
      l.profiles_squeezed = true;
    }
  }
  l.figure = {0, 0, x1, grid_h};
  return l;
}

float grid_needed_height(const Snapshot& snap, const render::FigureOptions& opt,
                         const UiMetrics& m) {
  // With no height to spare, grid_layout gives every row its minimum: the height needed.
  render::FigureOptions o = opt;
  o.fit_rows = false;
  return render::grid_layout(ImVec2(0, 0), ImVec2(1000, 0), snap, o, m.font_px).total_height +
         2 * m.pad;
}

float figure_needed_height(float font_px) {
  return std::round(21.0f * font_px);
}

Rect figure_rect(const MainLayout& l, const UiMetrics& m) {
  return {l.figure.x + m.pad, l.figure.y + m.pad, l.figure.w - 2 * m.pad, l.figure.h - 2 * m.pad};
}

Rect profiles_figure_rect(const MainLayout& l, const UiMetrics& m) {
  return {l.profiles.x + m.pad, l.profiles.y + 0.5f * m.pad, l.profiles.w - 2 * m.pad,
          l.profiles.h - 1.5f * m.pad};
}

render::FigureOptions window_figure_options(render::Theme theme) {
  render::FigureOptions o;
  o.theme = theme;
  o.fit_rows = false;    // the window scrolls instead of thinning out layers
  o.background = false;  // the frame is cleared to the theme's background already
  o.title = true;
  o.legend = true;
  return o;
}

}  // namespace initscope::app
