#pragma once
// The data of the "over time" heatmap: for one chosen layer, the statistics (with histogram) of
// the shown quantity in every column, from successive snapshots — x = update index, newest last,
// at most kCapacity of them. Cheap: per new snapshot it copies one layer's ValueStats per column
// (a few hundred bytes each), never the snapshot. The window records every snapshot the worker
// publishes (on the UI thread); the exporter records the updates it runs.
//
// It starts over when what it records would no longer be one series: the experiment changed,
// the weights were redrawn (the update index went back), or another layer or quantity is asked.
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "core/snapshot.h"
#include "heatmap.h"

namespace initscope::render {

class HistogramHistory {
 public:
  static constexpr size_t kCapacity = 200;

  // Records `s`; call every frame — a snapshot already recorded for this layer and quantity
  // costs a pointer comparison. layer is 1-based; 0 = the last layer.
  void record(const std::shared_ptr<const Snapshot>& s, int layer, Quantity q);
  // The series for draw_heatmaps (x = update); pointers into this history, valid until
  // the next record().
  HeatmapSeries series() const;
  int layer() const { return layer_; }  // the resolved 1-based layer (0 before any record)
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    uint64_t update = 0;
    std::vector<ValueStats> columns;
  };
  std::deque<Entry> entries_;
  std::string experiment_;                  // JSON of the recorded experiment
  std::shared_ptr<const Snapshot> source_;  // the last snapshot looked at
  std::string x_label_ = "update";          // "step" for a training probe (its update_index = step)
  int asked_layer_ = -1;                    // the layer argument it was looked at with
  int layer_ = 0;
  Quantity quantity_ = Quantity::Activation;
};

}  // namespace initscope::render
