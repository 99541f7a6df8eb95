// "text": one line per stat, "instance.stat  value  # unit, description", instances sorted by name and
// stats in declaration order (gem5's stats.txt layout).
#include <cstdio>
#include <iomanip>

#include "sim/stats/stats_writer.h"

namespace cyclops::stats {
namespace {

class TextStatsWriter : public StatsWriter {
 public:
  void Write(const StatsTree& tree, std::ostream& out) const override {
    for (const auto& [path, group] : tree.groups()) {
      for (const Counter& c : group->counters()) {
        Line(out, path + "." + c.name(), std::to_string(c.value()), c.unit(), c.description());
      }
      for (const Formula& f : group->formulas()) {
        char buffer[64];
        std::snprintf(buffer, sizeof buffer, "%.6f", f.value());  // fixed digits: locale- and run-stable
        Line(out, path + "." + f.name(), buffer, f.unit(), f.description());
      }
    }
  }

 private:
  static void Line(std::ostream& out, const std::string& key, const std::string& value,
                   const std::string& unit, const std::string& description) {
    out << std::left << std::setw(48) << key << ' ' << std::right << std::setw(16) << value << "  # " << unit
        << ", " << description << '\n';
  }
};

}  // namespace

CYCLOPS_REGISTER_STATS_WRITER("text", TextStatsWriter);

}  // namespace cyclops::stats
