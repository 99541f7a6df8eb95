#include "sim/energy/primitive_energy.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "sim/core/error.h"
#include "sim/core/text_escape.h"

namespace cyclops::energy {

namespace {

constexpr const char* kHorowitz = "Horowitz, ISSCC 2014, Fig. 1.1.9 (45 nm, 0.9 V)";
constexpr const char* kEyeriss = "Chen, Emer, Sze, ISCA 2016, Table IV (RF access = 1 MAC)";
constexpr const char* kKeckler = "Keckler et al., IEEE Micro 31(5) 2011, Table 1 (40 nm)";

const std::vector<PrimitiveEntry> kTable = {
    {"int_add_8b", 0.03, "pJ", 45, kHorowitz},
    {"int_add_32b", 0.1, "pJ", 45, kHorowitz},
    {"int_mult_8b", 0.2, "pJ", 45, kHorowitz},
    {"int_mult_32b", 3.1, "pJ", 45, kHorowitz},
    {"fp_add_16b", 0.4, "pJ", 45, kHorowitz},
    {"fp_add_32b", 0.9, "pJ", 45, kHorowitz},
    {"fp_mult_16b", 1.1, "pJ", 45, kHorowitz},
    {"fp_mult_32b", 3.7, "pJ", 45, kHorowitz},
    {"sram_8KiB_64b_read", 10, "pJ", 45, kHorowitz},
    {"sram_32KiB_64b_read", 20, "pJ", 45, kHorowitz},
    {"sram_1MiB_64b_read", 100, "pJ", 45, kHorowitz},
    {"dram_64b_access", 1300, "pJ", 0, kHorowitz},
    {"rf_access_per_mac", 1.0, "x 16-bit MAC", 0, kEyeriss},
    {"wire_256b_10mm", 310, "pJ", 40, kKeckler},
    {"noc_hop_length_mm", 1.0, "mm", 0, "assumption (no published pitch applies to every array)"},
};

double Entry(const std::string& key) {
  for (const PrimitiveEntry& entry : kTable)
    if (entry.key == key) return entry.value;
  throw std::logic_error("no primitive entry " + key);
}

// Through two published points (x1, y1), (x2, y2) as a power law y = y1 (x / x1)^k, also beyond them.
double PowerLaw(double x, double x1, double y1, double x2, double y2) {
  const double k = std::log(y2 / y1) / std::log(x2 / x1);
  return y1 * std::pow(x / x1, k);
}

// At 45 nm.
double IntMultiply(double bits) {
  return PowerLaw(bits, 8, Entry("int_mult_8b"), 32, Entry("int_mult_32b"));
}
double IntAdd(double bits) {
  return PowerLaw(bits, 8, Entry("int_add_8b"), 32, Entry("int_add_32b"));
}
double IntMac(double bits) {  // the product is twice as wide as the operands; so is the accumulator
  return IntMultiply(bits) + IntAdd(2 * bits);
}
double FpMac(double bits) {
  return PowerLaw(bits, 16, Entry("fp_mult_16b"), 32, Entry("fp_mult_32b")) +
         PowerLaw(bits, 16, Entry("fp_add_16b"), 32, Entry("fp_add_32b"));
}
// pJ per bit read from an SRAM of `bytes`, interpolated between the three cache sizes.
double SramPerBit(double bytes) {
  const double small = Entry("sram_8KiB_64b_read") / 64, medium = Entry("sram_32KiB_64b_read") / 64,
               large = Entry("sram_1MiB_64b_read") / 64;
  if (bytes <= 32 * 1024.0) return PowerLaw(bytes, 8 * 1024.0, small, 32 * 1024.0, medium);
  return PowerLaw(bytes, 32 * 1024.0, medium, 1024 * 1024.0, large);
}
double RegisterFilePerBit() {
  return IntMac(16) * Entry("rf_access_per_mac") / 16;
}
double WirePerBitMm() {  // at 40 nm
  return Entry("wire_256b_10mm") / 256 / 10;
}

// Stillmaker & Baas, "Scaling equations for the accurate prediction of CMOS device performance from
// 180 nm to 7 nm", Integration 58 (2017): energy of a fixed circuit as a·V² + b·V + c per node (their
// fits, as tabulated in Accelergy's hwcomponents scaling module), evaluated at 0.8 V.
struct NodeFit {
  double nm, a, b, c;
};
const NodeFit kFits[] = {{130, 7.171, -6.709, 2.904},     {90, 4.762, -4.781, 2.092},
                         {65, 3.755, -4.398, 1.975},      {45, 1.103, -0.362, 0.2767},
                         {32, 0.9559, -0.7823, 0.471},    {20, 0.373, -0.1582, 0.04104},
                         {16, 0.2958, -0.1241, 0.03024},  {14, 0.2363, -0.09675, 0.02239},
                         {10, 0.2068, -0.09311, 0.02375}, {7, 0.1776, -0.09097, 0.02447}};

double NodeEnergy(double nm) {
  constexpr double kVdd = 0.8;
  auto at = [&](const NodeFit& fit) { return fit.a * kVdd * kVdd + fit.b * kVdd + fit.c; };
  for (size_t i = 0; i + 1 < std::size(kFits); ++i) {
    const NodeFit &larger = kFits[i], &smaller = kFits[i + 1];
    if (nm <= larger.nm && nm >= smaller.nm) {
      const double t = (larger.nm - nm) / (larger.nm - smaller.nm);
      return at(larger) + t * (at(smaller) - at(larger));
    }
  }
  throw std::out_of_range("technology outside 7-130 nm");
}

enum class Kind { kNone, kDram, kSram, kRegisterFile, kIntMac, kFpMac };

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

Kind KindOfName(const std::string& class_name) {
  const std::string name = Lower(class_name);
  auto has = [&](const char* part) { return name.find(part) != std::string::npos; };
  if (has("dummy")) return Kind::kNone;
  if (has("dram")) return Kind::kDram;
  if (has("regfile") || has("register") || name == "rf" || name.ends_with("_rf") || has("reg_storage"))
    return Kind::kRegisterFile;
  if (has("sram") || has("buffer") || has("cache")) return Kind::kSram;
  if (has("fpmac") || has("float") || (has("fp") && has("mac"))) return Kind::kFpMac;
  if (has("mac")) return Kind::kIntMac;
  return Kind::kNone;
}

// The class's own name first, then (Accelergy compound classes) its subcomponents in order.
Kind Classify(const std::string& class_name, const std::vector<spec::ComponentClassSpec>& classes,
              int depth = 0) {
  const Kind kind = KindOfName(class_name);
  if (kind != Kind::kNone || depth > 8) return kind;
  for (const spec::ComponentClassSpec& compound : classes) {
    if (compound.name != class_name) continue;
    for (const auto& [sub_name, sub_class] : compound.subcomponents) {
      const Kind sub = Classify(sub_class, classes, depth + 1);
      if (sub != Kind::kNone) return sub;
    }
  }
  return Kind::kNone;
}

std::string Format(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string FullName(const std::string& name, int64_t instances) {
  return "system_top_level." + name + "[1.." + std::to_string(instances) + "]";
}

// The component's own technology, else the first one written anywhere in the architecture.
struct Technology {
  double nm = 45;
  bool assumed = true;
};

Technology ReadTechnology(const std::map<std::string, std::string>& attributes, const SourceLocation& where,
                          const Technology& fallback) {
  auto it = attributes.find("technology");
  if (it == attributes.end()) return fallback;
  // Timeloop v0.3 files write the memory technology there ("SRAM", "DRAM"), not the process node.
  if (KindOfName(it->second) != Kind::kNone || Lower(it->second) == "rf") return fallback;
  const std::optional<double> nm = ParseTechnologyNm(it->second);
  if (!nm) throw SpecError(where, "cannot read technology '" + it->second + "'", "e.g. \"40nm\" or \"45nm\"");
  if (*nm < 7 || *nm > 130)
    throw SpecError(where, "technology " + it->second + " is outside the 7-130 nm the energy estimate covers",
                    "a node from 7 to 130 nm, or an Accelergy ERT");
  return {*nm, false};
}

}  // namespace

const std::vector<PrimitiveEntry>& PrimitiveTable() {
  return kTable;
}

double TechnologyScale(double from_nm, double to_nm) {
  return NodeEnergy(to_nm) / NodeEnergy(from_nm);
}

std::optional<double> ParseTechnologyNm(const std::string& text) {
  std::string number, unit;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '"') continue;
    if (unit.empty() &&
        (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == '-' || c == '+'))
      number += c;
    else
      unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (number.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !(value > 0)) return std::nullopt;
  if (unit == "nm") return value;
  if (unit == "um") return value * 1000;
  if (unit == "m" || (unit.empty() && value < 1e-3)) return value * 1e9;
  if (unit.empty()) return value;
  return std::nullopt;
}

EstimatedTable EstimateEnergyTable(const spec::Architecture& architecture,
                                   const std::vector<spec::ComponentClassSpec>& classes) {
  EstimatedTable estimate;
  spec::EnergyTable& table = estimate.table;
  table.where = architecture.where;
  Technology default_technology;
  for (const spec::StorageLevelSpec& level : architecture.storage)
    if (default_technology.assumed && level.attributes.count("technology"))
      default_technology = ReadTechnology(level.attributes, level.where, default_technology);
  if (default_technology.assumed && architecture.arithmetic.attributes.count("technology"))
    default_technology =
        ReadTechnology(architecture.arithmetic.attributes, architecture.arithmetic.where, {});
  if (default_technology.assumed)
    estimate.notes.push_back("no technology given: the energy estimate assumes 45 nm");

  auto add = [&](const std::string& name, int64_t instances, const std::map<std::string, double>& actions) {
    table.components[name] = actions;
    table.full_names[name] = FullName(name, instances);
  };
  for (const spec::StorageLevelSpec& level : architecture.storage) {
    if (level.is_dummy) continue;
    const Technology technology = ReadTechnology(level.attributes, level.where, default_technology);
    const double scale = TechnologyScale(45, technology.nm);
    Kind kind = level.is_dram ? Kind::kDram : Classify(level.component_class, classes);
    if (kind == Kind::kNone && !level.subclass.empty()) kind = Classify(level.subclass, classes);
    const double bytes =
        level.depth ? static_cast<double>(*level.depth) * static_cast<double>(level.width_bits) / 8 : 0;
    if (kind == Kind::kNone || kind == Kind::kIntMac || kind == Kind::kFpMac) {
      kind = !level.depth ? Kind::kDram : bytes <= 1024 ? Kind::kRegisterFile : Kind::kSram;
      estimate.notes.push_back("energy estimate: class '" + level.component_class + "' of " + level.name +
                               " not recognised; priced as " +
                               (kind == Kind::kDram   ? "DRAM"
                                : kind == Kind::kSram ? "SRAM"
                                                      : "a register file"));
    }
    double per_bit = 0;
    if (kind == Kind::kDram) per_bit = Entry("dram_64b_access") / 64;
    if (kind == Kind::kSram) per_bit = SramPerBit(bytes) * scale;
    if (kind == Kind::kRegisterFile) per_bit = RegisterFilePerBit() * scale;
    const double row = per_bit * static_cast<double>(level.width_bits);
    add(level.name, level.instances, {{"read", row}, {"write", row}, {"update", row}, {"leak", 0.0}});
  }
  const spec::ArithmeticSpec& mac = architecture.arithmetic;
  const Technology technology = ReadTechnology(mac.attributes, mac.where, default_technology);
  Kind kind = Classify(mac.component_class, classes);
  if (kind != Kind::kIntMac && kind != Kind::kFpMac) {
    estimate.notes.push_back("energy estimate: arithmetic class '" + mac.component_class +
                             "' not recognised; priced as an integer MAC");
    kind = Kind::kIntMac;
  }
  const double bits = static_cast<double>(mac.word_bits);
  const double compute =
      (kind == Kind::kFpMac ? FpMac(bits) : IntMac(bits)) * TechnologyScale(45, technology.nm);
  add(mac.name, mac.instances, {{"compute", compute}, {"leak", 0.0}});
  // A NoC hop carries one value of the innermost level's width.
  const spec::StorageLevelSpec* innermost = architecture.InnermostDataLevel();
  const double value_bits = innermost ? static_cast<double>(innermost->word_bits) : bits;
  const double hop =
      WirePerBitMm() * TechnologyScale(40, technology.nm) * value_bits * Entry("noc_hop_length_mm");
  table.components["noc"] = {{"hop", hop}};
  table.full_names["noc"] = "noc";
  table.estimated_from = "Cyclops' primitive-component table at " + Format("%g", technology.nm) + " nm" +
                         (technology.assumed ? " (assumed)" : "") + ", configs/energy/README.md";
  return estimate;
}

std::string EnergyTableYaml(const spec::EnergyTable& table) {
  std::string out;
  if (!table.estimated_from.empty())
    out += "# Estimated by Cyclops (no ERT given): " + table.estimated_from + "\n";
  out += "ERT:\n  version: '0.4'\n  tables:\n";
  for (const auto& [name, actions] : table.components) {
    auto full = table.full_names.find(name);
    out += "  - name: " + YamlBlockScalar(full == table.full_names.end() ? name : full->second) +
           "\n    actions:\n";
    for (const auto& [action, energy] : actions)
      out += "    - {name: " + YamlScalar(action) + ", arguments: null, energy: " + Format("%.17g", energy) +
             "}\n";
  }
  return out;
}

}  // namespace cyclops::energy
