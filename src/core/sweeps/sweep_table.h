#pragma once
// A sweep's CSV file (`initscope sweep --out FILE.csv`, issue 15) read back: comment lines
// starting with '#' (the first says the command, `# initscope sweep …`), then a header row of
// column names, then one row per grid point and seed:
//   sigma_w2,sigma_b2,depth,width,activation,seed,q_star,chi1,xi_c_theory,c_star,q_measured,
//   xi_c_measured,c_measured,grad_ratio[,train_accuracy,test_accuracy]
// The reader keeps every cell as text (activation is a name) and knows no column's meaning; the
// figure's aggregation (sweep_cells.h) asks for the columns it needs by name.
#include <string>
#include <vector>

namespace initscope {

struct SweepCsvTable {
  std::vector<std::string> comments;           // the '#' lines, without the '#' and one space
  std::vector<std::string> columns;            // the header's names
  std::vector<std::vector<std::string>> rows;  // [row][column], each as many cells as columns

  // The index of column `name`, or −1.
  int column(const std::string& name) const;
  // Cell (row, column) as a number: NaN when empty, "nan" or not a number.
  double number(size_t row, int column) const;
};

// Parses the text of a sweep CSV; `origin` names it in errors. Throws UsageError (one line,
// naming origin and the line number) for: no header, an empty or repeated column name, a row
// with another number of cells than the header.
SweepCsvTable parse_sweep_csv(const std::string& text, const std::string& origin);
// Reads and parses FILE; a missing or unreadable file is a UsageError naming `option` and the
// path.
SweepCsvTable read_sweep_csv(const std::string& path, const std::string& option = "--from");

}  // namespace initscope
