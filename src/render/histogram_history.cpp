#include "histogram_history.h"

#include <algorithm>

#include "core/json_text.h"

namespace initscope::render {

void HistogramHistory::record(const std::shared_ptr<const Snapshot>& snap, int layer, Quantity q) {
  if (!snap || (snap == source_ && layer == asked_layer_ && q == quantity_)) return;
  source_ = snap;
  asked_layer_ = layer;
  const Snapshot& s = *snap;
  if (s.columns.empty() || s.columns.front().layers.empty()) return;
  const int L = static_cast<int>(s.columns.front().layers.size());
  const int l = layer <= 0 ? L : std::min(layer, L);
  if (!is_measured(s.columns.front().layers[l - 1], q)) return;
  std::string experiment = json_text(s.experiment.to_json());
  const bool restart = experiment != experiment_ || l != layer_ || q != quantity_ ||
                       (!entries_.empty() && s.update_index < entries_.back().update);
  if (restart) {
    entries_.clear();
    experiment_ = std::move(experiment);
    layer_ = l;
    quantity_ = q;
    x_label_ = s.experiment.training ? "step" : "update";
  }
  if (!entries_.empty() && entries_.back().update == s.update_index) return;
  Entry e;
  e.update = s.update_index;
  for (const ColumnStats& c : s.columns) e.columns.push_back(shown(c.layers[l - 1], q));
  entries_.push_back(std::move(e));
  while (entries_.size() > kCapacity) entries_.pop_front();
}

HeatmapSeries HistogramHistory::series() const {
  HeatmapSeries s;
  s.x_label = x_label_;
  s.what = "layer " + std::to_string(layer_) + " over time";
  const size_t columns = entries_.empty() ? 0 : entries_.front().columns.size();
  s.columns.resize(columns);
  for (const Entry& e : entries_) {
    s.x.push_back(static_cast<long long>(e.update));
    for (size_t c = 0; c < columns; ++c)
      s.columns[c].push_back(c < e.columns.size() ? &e.columns[c] : nullptr);
  }
  return s;
}

}  // namespace initscope::render
