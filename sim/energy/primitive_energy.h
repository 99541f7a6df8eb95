// An energy table estimated without Accelergy: every component priced from a built-in table of primitive
// components (SRAM, register file, DRAM, integer and floating-point MACs, wires) at the architecture's
// `technology`, in Accelergy's ERT form so that everything downstream prices counts exactly as with a
// real ERT. Every number in the table has its public source named in configs/energy/README.md (a test
// checks that the README names every entry of PrimitiveTable()).
//
// How a component is priced:
//  - its class is recognised by name (DRAM, SRAM/buffer, regfile/RF, intmac/fpmac), following Accelergy
//    compound classes to their subcomponents when the name itself says nothing (smartbuffer_RF → regfile);
//    a storage class still unknown is a register file up to 1 KiB, an SRAM above, DRAM when unbounded;
//  - a row access costs the per-bit energy × the row width; write and update cost what a read costs;
//    SRAM energy per bit grows with capacity (interpolated between the table's three cache sizes);
//  - logic and on-chip memory scale with technology (Stillmaker & Baas' fits at 0.8 V); DRAM does not;
//  - leakage is not estimated (0), and `noc.hop` is one value over 1 mm of wire.
#pragma once

#include <string>
#include <vector>

#include "sim/spec/specs.h"

namespace cyclops::energy {

// One number of the built-in table, at the technology node it was published for.
struct PrimitiveEntry {
  std::string key;  // e.g. "int_mult_8b"; the README lists each key with its source
  double value = 0;
  std::string unit;    // "pJ", "pJ per 256 b over 10 mm", "x MAC", "mm"
  double node_nm = 0;  // 0 = does not scale with technology
  std::string source;  // short citation
};
const std::vector<PrimitiveEntry>& PrimitiveTable();

// Energy of a fixed circuit at `to_nm` relative to `from_nm` (Stillmaker & Baas 2017, 130 nm to 7 nm,
// interpolated linearly between their nodes). Throws std::out_of_range outside that span.
double TechnologyScale(double from_nm, double to_nm);

// "40nm", "45 nm", "0.04um", "4e-08" (metres) or "45" (nm) → nanometres; empty when unreadable.
std::optional<double> ParseTechnologyNm(const std::string& text);

struct EstimatedTable {
  spec::EnergyTable table;
  std::vector<std::string> notes;  // each assumption made for a component (class not recognised, ...)
};

// Throws SpecError (at the component) for a technology it cannot read or outside 7–130 nm.
EstimatedTable EstimateEnergyTable(const spec::Architecture& architecture,
                                   const std::vector<spec::ComponentClassSpec>& classes);

// An energy table as an Accelergy ERT file (`ERT: {version, tables}`), energies printed so that they read
// back exactly: what `cyclops run --out` writes as estimated_ERT.yaml, for Accelergy users.
std::string EnergyTableYaml(const spec::EnergyTable& table);

}  // namespace cyclops::energy
