// Numbers a spec gives for physical quantities — bandwidths, cycle times, clock rates, buffering
// factors, energies — checked where they are read, with a located error saying what is valid.
// YamlNode::AsDouble already refuses text that is not a number, NaN and infinities; these add the range.
// A value too small to be meant is refused rather than rounded: a read bandwidth of 1e-20 values per
// cycle would need more than 2^63 cycles for any real layer, and used to be taken as "unlimited".
#pragma once

#include <string>

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

// The smallest and largest values accepted (each written once, here or in specs.h; documented in
// configs/README.md).
inline constexpr double kSmallestCycleSeconds = 1e-15;
inline constexpr double kLargestCycleSeconds = 1e3;
inline constexpr double kLargestEnergyPj = 1e12;  // one joule per action

// A number >= smallest (and <= largest when given), named `name` in the message, in `unit`.
double QuantityInRange(const YamlNode& node, const std::string& name, const std::string& unit,
                       double smallest, double largest);

// The quantities by kind.
double BandwidthValue(const YamlNode& node, const std::string& name);          // values per cycle
double CycleSecondsValue(const YamlNode& node, const std::string& name);       // seconds
double ClockHzValue(const YamlNode& node, const std::string& name);            // Hz
double MultipleBufferingValue(const YamlNode& node, const std::string& name);  // >= 1
double EnergyValue(const YamlNode& node, const std::string& name);             // pJ, >= 0
// A component attribute that must be a positive quantity, checked by its name: *_bandwidth,
// global_cycle_seconds, multiple_buffering; any other name: a number > 0.
double PositiveAttribute(const YamlNode& node, const std::string& name);
// A storage level's sizes in bits and values (width = block_size × datawidth, capacity = depth ×
// block_size) must fit in int64_t; `node` is the component, where the error points.
void CheckStorageSizes(const YamlNode& node, const StorageLevelSpec& level);
// A density, a fraction in [0, 1]; Cyclops is dense only, so anything below 1 is refused as sparse.
double DenseDensityValue(const YamlNode& node);

}  // namespace cyclops::spec
