// What the window's hit-testing asks of render (issue 11): the grid's cells and headers under a
// point, a phase-diagram marker near a point, and the one table of figures — checked against
// the rectangles the layout functions publish, with no ImGui context and no GL.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <optional>
#include <tuple>

#include "core/snapshot.h"
#include "render/figure.h"
#include "render/figures.h"
#include "render/phase_diagram.h"

namespace initscope {
namespace {

// A snapshot with `columns` columns of `layers` layers and nothing measured: the layouts only
// count them (and read the theory's σ_w², σ_b² for the phase markers).
Snapshot empty_snapshot(int columns, int layers) {
  Snapshot s;
  for (int c = 0; c < columns; ++c) {
    ColumnStats cs;
    cs.init = "normal:std=" + std::to_string(c + 1);
    for (int l = 1; l <= layers; ++l) {
      LayerStats ls;
      ls.layer = l;
      cs.layers.push_back(ls);
    }
    s.columns.push_back(cs);
    Prediction p;
    p.init.sigma_w2 = 0.5 + c;
    p.init.sigma_b2 = 0.1 * c;
    s.theory.push_back(p);
  }
  return s;
}

TEST(FigureKinds, EveryKindHasOneKeyThatParsesBack) {
  for (render::FigureKind k : render::kFigureKinds) {
    render::FigureKind back = render::FigureKind::Training;
    ASSERT_TRUE(render::parse_figure_kind(render::figure_key(k), back)) << render::figure_key(k);
    EXPECT_EQ(back, k);
  }
  render::FigureKind k = render::FigureKind::Grid;
  EXPECT_FALSE(render::parse_figure_kind("both", k));  // the exporter's pair, not one figure
  EXPECT_FALSE(render::parse_figure_kind("", k));
  EXPECT_FALSE(render::parse_figure_kind("Grid", k));
}

TEST(FigureKinds, SourcesEachKindReads) {
  const Snapshot s = empty_snapshot(1, 2);
  const render::FigureSources none;
  const render::FigureSources snap_only{&s};
  for (render::FigureKind k : render::kFigureKinds) EXPECT_FALSE(render::has_sources(k, none));
  EXPECT_TRUE(render::has_sources(render::FigureKind::Grid, snap_only));
  EXPECT_TRUE(render::has_sources(render::FigureKind::Phase, snap_only));  // "computing…"
  EXPECT_FALSE(render::has_sources(render::FigureKind::History, snap_only));
  EXPECT_FALSE(render::has_sources(render::FigureKind::Training, snap_only));
}

TEST(GridHit, EveryCellItsNumbersAndItsHeader) {
  const Snapshot s = empty_snapshot(3, 5);
  render::FigureOptions opt;
  const float f = 17;
  const ImVec2 pos(10, 20);
  const render::GridLayout lay = render::grid_layout(pos, ImVec2(1200, 800), s, opt, f);
  ASSERT_EQ(lay.columns, 3);
  ASSERT_EQ(lay.layers.size(), 5u);
  ASSERT_GT(lay.numbers_h, 0);
  ASSERT_LT(lay.header_top, lay.header_bottom);
  int misses = 0;
  for (size_t row = 0; row < lay.layers.size(); ++row)
    for (int c = 0; c < lay.columns; ++c) {
      const render::CellRect& r = lay.cells[row * lay.columns + c];
      const float xm = (r.x0 + r.x1) / 2;
      // The plot, its corners, and the line of numbers above it.
      for (const auto& [x, y, in_plot] :
           {std::tuple{xm, (r.y0 + r.y1) / 2, true}, std::tuple{r.x0, r.y0, true},
            std::tuple{r.x1 - 0.5f, r.y1 - 0.5f, true},
            std::tuple{xm, r.y0 - 0.5f * lay.numbers_h, false}}) {
        const render::GridHit h = render::grid_hit(lay, x, y);
        const bool ok = h.row == int(row) && h.column == c && h.in_plot == in_plot && !h.header;
        misses += !ok;
        EXPECT_TRUE(ok) << "row " << row << " column " << c << " at (" << x << ", " << y
                        << "): got row " << h.row << " column " << h.column;
      }
      // Just below the plot (the gap between rows) and right of it (between columns): nothing.
      EXPECT_LT(render::grid_hit(lay, xm, r.y1).row, 0);
      if (c + 1 < lay.columns) {
        EXPECT_LT(render::grid_hit(lay, r.x1, r.y0 + 1).row, 0);
      }
    }
  for (int c = 0; c < lay.columns; ++c) {
    const render::CellRect& r = lay.cells[size_t(c)];
    const render::GridHit h =
        render::grid_hit(lay, (r.x0 + r.x1) / 2, (lay.header_top + lay.header_bottom) / 2);
    EXPECT_TRUE(h.header && h.column == c && h.row < 0) << "header of column " << c;
  }
  // The title above the headers and the gutter of layer numbers are neither.
  const render::GridHit title = render::grid_hit(lay, lay.cells[0].x0 + 5, lay.header_top - 1);
  EXPECT_TRUE(title.row < 0 && !title.header);
  const render::GridHit gutter = render::grid_hit(lay, pos.x + 1, lay.cells[0].y0 + 2);
  EXPECT_TRUE(gutter.row < 0 && !gutter.header);
  std::cout << "grid hit-test misses: " << misses << " of " << 4 * lay.cells.size() << "\n";
}

TEST(PhaseDiagram, AMarkerIsPickedWithinItsRadiusOnly) {
  const Snapshot s = empty_snapshot(3, 2);
  PhaseGrid g;
  g.sigma_w2 = {0, 5, 121};
  g.sigma_b2 = {0, 0.5, 61};
  const render::PhaseLayout lay =
      render::phase_layout(ImVec2(20, 30), ImVec2(1200, 700), &g, render::FigureOptions{}, 17);
  ASSERT_GT(lay.marker_pick_radius, 0);
  for (size_t c = 0; c < s.columns.size(); ++c) {
    const std::optional<ImVec2> m = render::column_marker_pos(lay, s, c);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(render::column_marker_at(lay, s, *m), int(c));
    const float r = 0.9f * lay.marker_pick_radius;
    EXPECT_EQ(render::column_marker_at(lay, s, ImVec2(m->x + r, m->y)), int(c));
    EXPECT_EQ(render::column_marker_at(lay, s, ImVec2(m->x, m->y + 1.2f * lay.marker_pick_radius)),
              -1);
  }
}

}  // namespace
}  // namespace initscope
