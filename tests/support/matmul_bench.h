// What the module testbenches of the engine's blocks share (tests/module/control, tests/module/pe): a tiny
// matrix multiply Z[M, N] += A[M, K] · B[K, N] on a hand-built two-level accelerator — a `Buffer` on top,
// 2 x 2 PEs each with a register file `RF`, and the storage-less level Timeloop makes of the PE container's
// fan-out between them — compiled into a real LayerProgram, and the tile boards set up the way
// sim/top/accelerator.cpp sets them up.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "models/memory/storage_level.h"
#include "sim/mapping/layer_program.h"
#include "sim/spec/loader.h"

namespace cyclops::models::bench {

constexpr int kRf = 0;                 // the RF level, the innermost
constexpr int kM = 0, kN = 1, kK = 2;  // problem dimensions, in the problem's order
constexpr int kA = 0, kB = 1, kZ = 2;  // data spaces, in the problem's order

// The spec of every bench: `instance` the bounds ("M: 2, N: 2, K: 4"), the Buffer's and the RF's temporal
// factors, the PEs' spatial factors (along X for the loops of `pe_order` before the split, the rest along Y)
// and `rf_bypass`: a mapping entry for what the RF does not keep.
inline std::string MatmulSpec(const std::string& instance, const std::string& buffer_factors,
                              const std::string& pe_factors, const std::string& pe_order,
                              const std::string& rf_factors, const std::string& rf_bypass = "") {
  return R"(
architecture:
  version: 0.4
  nodes:
  - !Container {name: system, attributes: {technology: "40nm", global_cycle_seconds: 1e-9}}
  - !Component {name: Buffer, class: SRAM, attributes: {depth: 4096, width: 64, datawidth: 8}}
  - !Container {name: PE, spatial: {meshX: 2, meshY: 2}}
  - !Component {name: RF, class: regfile, attributes: {depth: 64, width: 8, datawidth: 8}}
  - !Component {name: MACC, class: intmac, attributes: {width: 8}}
problem:
  version: 0.4
  shape:
    name: MatMul
    dimensions: [M, N, K]
    data_spaces:
    - {name: A, projection: [[[M]], [[K]]]}
    - {name: B, projection: [[[K]], [[N]]]}
    - {name: Z, projection: [[[M]], [[N]]], read_write: true}
  instance: {)" +
         instance + R"(}
mapping:
- {target: Buffer, type: temporal, factors: )" +
         buffer_factors + R"(, permutation: KMN}
- {target: PE, type: spatial, factors: )" +
         pe_factors + ", permutation: " + pe_order + R"(, split: 1}
- {target: RF, type: temporal, factors: )" +
         rf_factors + R"(, permutation: KMN}
)" + rf_bypass;
}

// M=2 N=2 K=4: the Buffer walks K in 2 steps, the 4 PEs split M (along X) and N (along Y), each RF walks
// the 2 remaining K. So PE (m, n) holds A[m][2v..2v+1] and B[2v..2v+1][n] in version v = 0, 1 and Z[m][n]
// for the whole layer, and runs 2 bursts of 2 MACs.
inline std::string MulticastSpec(const std::string& rf_bypass = "") {
  return MatmulSpec("M: 2, N: 2, K: 4", "M=1 N=1 K=2", "M=2 N=2 K=1", "MNK", "M=1 N=1 K=2", rf_bypass);
}

// A spec loaded and compiled, as the accelerator receives it.
struct CompiledMatmul {
  CompiledMatmul(const std::string& spec_yaml, int psum_bits)
      : spec(spec::LoadSpecDocuments({{"bench.yaml", spec_yaml}})),
        plan(*spec.architecture, *spec.workload, *spec.mapping),
        layout(*spec.architecture),
        program(mapping::CompileLayer(plan, layout, psum_bits)) {}
  int64_t pes() const { return static_cast<int64_t>(program.pes.size()); }
  // PE i's spatial origin along problem dimension `dimension`.
  int64_t Origin(int64_t pe, int dimension) const {
    return program.pes[static_cast<size_t>(pe)].spatial_origin[static_cast<size_t>(dimension)];
  }

  spec::Spec spec;
  mapping::LayerPlan plan;
  mapping::HardwareLayout layout;
  mapping::LayerProgram program;
};

// As Accelerator::Impl::LoadBoards: a board per level and kept data space, the innermost keeper's consumed
// by every PE, the others' by the engine below; the top's version 0 is there from cycle 0.
inline void LoadBoards(const mapping::LayerProgram& program, int64_t pes,
                       const std::vector<std::unique_ptr<StorageLevel>>& levels) {
  for (const auto& level : levels) {
    std::vector<std::unique_ptr<TileBoard>> boards(program.data_spaces.size());
    for (size_t d = 0; d < boards.size(); ++d) {
      const std::vector<int>& chain = program.chains[d];
      if (std::find(chain.begin(), chain.end(), level->index()) == chain.end()) continue;
      const int64_t consumers = chain.front() == level->index() ? pes : 1;
      boards[d] = std::make_unique<TileBoard>(level->level_name() + " tiles", consumers);
    }
    level->LoadBoards(std::move(boards));
  }
  for (size_t d = 0; d < program.data_spaces.size(); ++d)
    levels.back()->Board(static_cast<int>(d))->Publish(0, 0);
}

}  // namespace cyclops::models::bench
