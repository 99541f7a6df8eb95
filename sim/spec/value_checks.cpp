#include "sim/spec/value_checks.h"

#include <cstdio>
#include <limits>

#include "sim/core/checked_math.h"

namespace cyclops::spec {

namespace {
std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}
}  // namespace

double QuantityInRange(const YamlNode& node, const std::string& name, const std::string& unit,
                       double smallest, double largest) {
  const double value = node.AsDouble();
  const bool bounded = largest < std::numeric_limits<double>::max();
  const std::string valid =
      bounded ? "a number of " + unit + " from " + Number(smallest) + " to " + Number(largest)
              : "a number of " + unit + " >= " + Number(smallest);
  if (value < smallest || value > largest)
    node.Fail(name + " " + node.AsText() + " is " +
                  (value < smallest ? "below " + Number(smallest) : "above " + Number(largest)),
              valid);
  return value;
}

double BandwidthValue(const YamlNode& node, const std::string& name) {
  return QuantityInRange(node, name, "values per cycle", kSmallestBandwidth,
                         std::numeric_limits<double>::max());
}

double CycleSecondsValue(const YamlNode& node, const std::string& name) {
  return QuantityInRange(node, name, "seconds", kSmallestCycleSeconds, kLargestCycleSeconds);
}

double ClockHzValue(const YamlNode& node, const std::string& name) {
  return QuantityInRange(node, name, "Hz", 1 / kLargestCycleSeconds, 1 / kSmallestCycleSeconds);
}

double MultipleBufferingValue(const YamlNode& node, const std::string& name) {
  return QuantityInRange(node, name, "tile copies (1 = single, 2 = double buffered)", 1,
                         std::numeric_limits<double>::max());
}

double EnergyValue(const YamlNode& node, const std::string& name) {
  return QuantityInRange(node, name, "pJ", 0, kLargestEnergyPj);
}

double PositiveAttribute(const YamlNode& node, const std::string& name) {
  if (name.size() > 10 && name.compare(name.size() - 10, 10, "_bandwidth") == 0)
    return BandwidthValue(node, name);
  if (name == "global_cycle_seconds") return CycleSecondsValue(node, name);
  if (name == "multiple_buffering") return MultipleBufferingValue(node, name);
  const double value = node.AsDouble();
  if (value <= 0) node.Fail(name + " must be > 0", "a positive number");
  return value;
}

void CheckStorageSizes(const YamlNode& node, const StorageLevelSpec& level) {
  const bool width_fits = CheckedMul(level.block_size, level.word_bits).has_value();
  const bool capacity_fits = !level.depth || CheckedMul(*level.depth, level.block_size).has_value();
  if (!width_fits || !capacity_fits)
    node.Fail(
        "the " +
            std::string(width_fits ? "capacity (depth × block_size)" : "width (block_size × datawidth)") +
            " of " + level.name + " exceeds 2^63",
        "depth, block_size and datawidth whose products stay below 2^63");
}

double DenseDensityValue(const YamlNode& node) {
  const double density = node.AsDouble();
  if (density < 0 || density > 1)
    node.Fail("density " + node.AsText() + " is not a fraction", "a density from 0 to 1 (Cyclops: 1, dense)");
  if (density < 1)
    node.Fail("sparse workloads are not supported (density " + node.AsText() + " < 1)",
              "density 1.0 (dense) or no densities");
  return density;
}

}  // namespace cyclops::spec
