// The Sparseloop reference cases through the cycle-level simulator (issue 11 item 3): data drawn at each
// case's declared density, zeros flowing through the PEs, gating and skipping applied MAC by MAC. Checked
// against Sparseloop's own report (the case's stats.txt, an independent source): the outputs bit-exact, the
// actual / gated / skipped computes and the operand reads and psum updates at the levels the MACs read
// from exactly, and the psum reads within the one thing real data decides and Sparseloop's expectation
// does not: which MAC touches each output first (that one reads no old psum; Sparseloop rounds the
// read-modify-write share up instead), so they may differ by at most the outputs an instance accumulates.
//
// Which cases, and why not the others:
//   01.2.1, 01.2.2, 01.2.3, 02.2.1  simulated; fixed_structured densities whole in every tile: exact.
//   03.2.1, 03.2.2                  simulated, bit-exact, but a density of 0.43 (0.4333) over tiles of 3
//                                   weights cannot hold "density x size" nonzeros: Sparseloop's counts are
//                                   expectations no real tensor has. Only bit-exactness and the split's
//                                   totals are asserted; the test prints both. In 03.2.2 the Outputs, which
//                                   bypass the Buffer where their skipping is written, are skipped MAC by
//                                   MAC at the backing store in the simulator; Sparseloop's model finds the
//                                   Weights tile that conditions them never empty and skips none.
//   04.2.1, 04.2.2                  run through `cyclops run` too (bit-exact), but take 20-40 s each: not in
//                                   ctest (scripts/bench runs 04.2.1).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <iostream>

#include "models/memory/storage_core.h"
#include "sim/analysis/analysis.h"
#include "sim/spec/loader.h"
#include "sim/top/layer_simulation.h"
#include "tests/support/paths.h"
#include "tests/system/sparseloop/sparseloop_stats.h"

namespace cyclops::test {
namespace {

namespace fs = std::filesystem;

struct SimulatedCase {
  spec::Spec spec;
  analysis::AnalysisResult analysis;
  top::SimulationResult simulation;
  SparseloopStats want;
};

SimulatedCase Simulate(const std::string& name, const std::function<void(spec::Spec&)>& change = {}) {
  const fs::path dir = fs::path(ReferenceDir()) / "sparseloop" / name / "ref_outputs" / "default_problem";
  SimulatedCase run;
  run.spec = spec::LoadSpecFiles({(dir / "parsed-processed-input.yaml").string(),
                                  (dir / "timeloop-mapper.map.yaml").string(),
                                  (dir / "timeloop-mapper.ERT.yaml").string()});
  run.want = ReadSparseloopStats((dir / "timeloop-mapper.stats.txt").string());
  if (change) change(run.spec);
  const spec::SparseOptimizations* sparse = run.spec.sparse ? &*run.spec.sparse : nullptr;
  run.analysis = analysis::Analyze(*run.spec.architecture, *run.spec.workload, *run.spec.mapping,
                                   &*run.spec.energy, sparse);
  top::SimulationOptions options;
  options.sparse = sparse;
  options.value_bits = top::OperandBits(*run.spec.architecture);
  top::LayerSimulation simulation(*run.spec.architecture, *run.spec.workload, *run.spec.mapping, options);
  run.simulation = simulation.Run();
  return run;
}

// The simulated actual / gated / skipped split of one access kind (totals over instances).
struct Split {
  int64_t actual = 0, gated = 0, skipped = 0;
};
Split SplitOf(uint64_t counted, const std::array<uint64_t, models::kSparseActions>& sparse) {
  const auto gated = static_cast<int64_t>(sparse[static_cast<int>(models::SparseAction::kGated)]);
  const auto skipped = static_cast<int64_t>(sparse[static_cast<int>(models::SparseAction::kSkipped)]);
  const auto absent = static_cast<int64_t>(sparse[static_cast<int>(models::SparseAction::kAbsent)]);
  return {static_cast<int64_t>(counted) - gated - skipped - absent, gated, skipped};
}

// Per level the MACs read from: simulated reads and updates against the report's, `exact` or printed.
void CompareOperandLevels(const SimulatedCase& run, bool exact) {
  const auto& storage = run.spec.architecture->storage;
  const auto& spaces = run.spec.workload->data_spaces;
  for (size_t d = 0; d < spaces.size(); ++d) {
    size_t level = 0;
    while (level < storage.size() && !run.simulation.accesses[level][d].kept) ++level;
    ASSERT_LT(level, storage.size()) << spaces[d].name;
    const top::SimulatedAccesses& s = run.simulation.accesses[level][d];
    const SparseloopDataSpaceStats& want =
        run.want.levels.at(storage[level].name).data_spaces.at(spaces[d].name);
    const int64_t n = want.utilized_instances;
    const std::string where = storage[level].name + "/" + spaces[d].name;
    const int64_t outputs = run.analysis.storage[level].data_spaces[d].partition_size * n;
    for (const auto& [action, counted, sparse] :
         {std::tuple{"reads", s.reads, s.sparse_reads}, std::tuple{"updates", s.updates, s.sparse_updates}}) {
      const Split split = SplitOf(counted, sparse);
      const std::string a = action;
      const int64_t actual = want.counts.at("Actual " + a) * n, gated = want.counts.at("Gated " + a) * n,
                    skipped = want.counts.at("Skipped " + a) * n;
      std::cout << where << " " << a << ": simulated " << split.actual << "/" << split.gated << "/"
                << split.skipped << ", Sparseloop " << actual << "/" << gated << "/" << skipped
                << " (actual/gated/skipped)\n";
      if (!exact) continue;
      EXPECT_EQ(static_cast<int64_t>(counted), want.counts.at("Algorithmic " + a) * n) << where << " " << a;
      if (spaces[d].read_write && a == "reads") {
        // Which MAC first touches each output (no psum read) is the data's, not Sparseloop's rounding.
        EXPECT_LE(std::abs(split.actual - actual), outputs) << where;
        EXPECT_LE(std::abs(split.gated - gated), outputs) << where;
        EXPECT_LE(std::abs(split.skipped - skipped), outputs) << where;
        continue;
      }
      EXPECT_EQ(split.actual, actual) << where << " actual " << a;
      EXPECT_EQ(split.gated, gated) << where << " gated " << a;
      EXPECT_EQ(split.skipped, skipped) << where << " skipped " << a;
    }
  }
}

// Every level's fills, and the reads of the levels above the MACs' (what the fill engines move): a
// compressed parent sends only its nonzeros, so they are the data's nonzero count, as Sparseloop's are.
void CompareTransfers(const SimulatedCase& run, bool exact) {
  const auto& storage = run.spec.architecture->storage;
  const auto& spaces = run.spec.workload->data_spaces;
  for (size_t d = 0; d < spaces.size(); ++d) {
    bool operand_level = true;
    for (size_t level = 0; level < storage.size(); ++level) {
      const top::SimulatedAccesses& s = run.simulation.accesses[level][d];
      if (!s.kept) continue;
      const SparseloopDataSpaceStats& want =
          run.want.levels.at(storage[level].name).data_spaces.at(spaces[d].name);
      const int64_t n = want.utilized_instances;
      const std::string where = storage[level].name + "/" + spaces[d].name;
      const Split fills = SplitOf(s.fills, s.sparse_fills);
      std::cout << where << " fills: simulated " << fills.actual << ", Sparseloop "
                << want.counts.at("Actual fills") * n << " (actual); metadata words moved "
                << s.metadata_reads << " read, " << s.metadata_fills << " filled\n";
      if (exact) EXPECT_EQ(fills.actual, want.counts.at("Actual fills") * n) << where << " fills";
      if (!operand_level && !spaces[d].read_write) {
        const Split reads = SplitOf(s.reads, s.sparse_reads);
        std::cout << where << " reads: simulated " << reads.actual << ", Sparseloop "
                  << want.counts.at("Actual reads") * n << " (actual)\n";
        const spec::StorageSparseSpec* written = run.spec.sparse->Level(static_cast<int>(level));
        if (exact && (!written || (written->gating.empty() && written->skipping.empty())))
          EXPECT_EQ(reads.actual, want.counts.at("Actual reads") * n) << where << " reads";
      }
      operand_level = false;
    }
  }
}

void CheckCase(const std::string& name, bool exact) {
  if (!fs::exists(fs::path(ReferenceDir()) / "sparseloop" / name)) GTEST_SKIP() << "no reference " << name;
  const SimulatedCase run = Simulate(name);
  EXPECT_FALSE(run.simulation.mismatch) << *run.simulation.mismatch;
  // Without sparse optimizations there is no split: every MAC is an actual one.
  ASSERT_EQ(run.simulation.sparse_macs.has_value(), run.spec.sparse.has_value());
  const models::SparseMacCounts macs =
      run.simulation.sparse_macs ? *run.simulation.sparse_macs : models::SparseMacCounts{run.simulation.macs};
  EXPECT_EQ(
      macs.actual + macs.gated + macs.skipped + macs.removed_gated + macs.removed_skipped + macs.nonexistent,
      run.simulation.macs);
  EXPECT_EQ(static_cast<int64_t>(run.simulation.macs), run.want.algorithmic_computes);
  std::cout << "computes: simulated " << macs.actual << "/" << macs.gated << "/" << macs.skipped
            << ", Sparseloop " << run.want.actual_computes << "/" << run.want.gated_computes << "/"
            << run.want.skipped_computes << " (actual/gated/skipped)\n";
  if (exact) {
    EXPECT_EQ(static_cast<int64_t>(macs.actual), run.want.actual_computes);
    EXPECT_EQ(static_cast<int64_t>(macs.gated), run.want.gated_computes);
    EXPECT_EQ(static_cast<int64_t>(macs.skipped), run.want.skipped_computes);
  }
  CompareOperandLevels(run, exact);
  if (run.spec.sparse) CompareTransfers(run, exact);
}

TEST(SparseSimulation, DenseDotProductHasNoSplit) {
  CheckCase("01.2.1-DUDU-dot-product", true);
}
TEST(SparseSimulation, GatedDotProduct) {
  CheckCase("01.2.2-SUDU-dot-product", true);
}
TEST(SparseSimulation, SkippedCompressedDotProduct) {
  CheckCase("01.2.3-SCDU-dot-product", true);
}
TEST(SparseSimulation, SparseTimesSparseMatmul) {
  CheckCase("02.2.1-spMspM", true);
}
TEST(SparseSimulation, Conv1dWithRunLengthWeights) {
  CheckCase("03.2.1-conv1d", false);
}
TEST(SparseSimulation, Conv1dWithOutputChannels) {
  CheckCase("03.2.2-conv1d+oc", false);
}

// A gated MAC costs its cycle, a skipped one does not: the gated dot product takes all 16 MAC cycles, the
// skipping one only the 4 of its nonzero A values (16 x 0.25). Sparseloop's cycles agree, the gated ones by
// another route: its Buffer's one-value write port takes 16 cycles for Z's 16 actual + gated updates (see
// GatedMacsHoldThePeWhereSparseloopCountsPortBandwidth for where the two rules part).
TEST(SparseSimulation, GatingKeepsTheCycles) {
  if (!fs::exists(fs::path(ReferenceDir()) / "sparseloop")) GTEST_SKIP() << "no reference data";
  const SimulatedCase gating = Simulate("01.2.2-SUDU-dot-product");
  EXPECT_EQ(static_cast<int64_t>(gating.simulation.compute_cycles), 16);
  EXPECT_EQ(static_cast<int64_t>(gating.simulation.compute_cycles), gating.want.cycles);
}

TEST(SparseSimulation, SkippingSavesCycles) {
  if (!fs::exists(fs::path(ReferenceDir()) / "sparseloop")) GTEST_SKIP() << "no reference data";
  const SimulatedCase skipping = Simulate("01.2.3-SCDU-dot-product");
  EXPECT_EQ(static_cast<int64_t>(skipping.simulation.compute_cycles), 4);
  EXPECT_EQ(static_cast<int64_t>(skipping.simulation.compute_cycles), skipping.want.cycles);
}

// Why Sparseloop's 04.2.1 takes half the cycles of its dense twin (1,916,929 against 3,833,856 MAC steps
// per PE) while the simulated run takes the dense figure. Sparseloop (NVlabs/timeloop 4cf6d4c) removes the
// computes behind a gated operand read at the innermost level from the compute unit
// (src/sparse-analysis/storage-optimization-combiner.cpp:316-319, `max_computes[0] -= ...`, gating and
// skipping alike), so its arithmetic cycles are (actual + gated computes) / instances
// (src/model/arithmetic.cpp:370); a gated access costs port bandwidth only: a storage level's cycles are the
// compute cycles divided by the slowdown its actual + gated reads and writes ask of its read / write
// bandwidth (src/model/buffer.cpp:2489-2496, 2554, 2623), and the total is the max over the levels
// (src/model/topology.cpp:1465). 04.2.1's weight spad reads two values per cycle (read_bandwidth: 2), so
// its 3,833,856 actual + gated reads per instance take 1,916,929 cycles. In the simulator a gated MAC holds
// its PE for its cycle (Eyeriss v1's gating idles the datapath, it does not look ahead), whatever the
// spads' ports could serve. The analytical twin follows Sparseloop (AnalyzeMatchesSparseloopReport checks
// 04.2.1's cycles exactly); the simulator does not. Shown here on the small gated dot product with its
// Buffer's ports widened to 4 values per cycle: Sparseloop's rule, worked from its own report's counts,
// gives ceil(47 reads / 4) = 12 cycles; the simulator still takes one cycle per MAC, 16.
TEST(SparseSimulation, GatedMacsHoldThePeWhereSparseloopCountsPortBandwidth) {
  if (!fs::exists(fs::path(ReferenceDir()) / "sparseloop")) GTEST_SKIP() << "no reference data";
  const double ports = 4;
  const SimulatedCase run = Simulate("01.2.2-SUDU-dot-product", [&](spec::Spec& spec) {
    for (auto& level : spec.architecture->storage)
      if (level.name == "Buffer") level.read_bandwidth = level.write_bandwidth = ports;
  });
  // Sparseloop's rule by hand, from the report: the compute unit takes the actual + gated computes...
  const int64_t instances = run.want.arithmetic_utilized_instances;
  const int64_t compute_cycles =
      (run.want.actual_computes + run.want.gated_computes + instances - 1) / instances;
  EXPECT_EQ(compute_cycles, 4);  // 16 MACs x A's density 0.25
  // ... and the Buffer the time its ports need for the actual + gated accesses of every data space.
  int64_t reads = 0, writes = 0;
  for (const auto& [space, stats] : run.want.levels.at("Buffer").data_spaces) {
    reads += stats.counts.at("Actual reads") + stats.counts.at("Gated reads");
    writes += stats.counts.at("Actual fills") + stats.counts.at("Gated fills") +
              stats.counts.at("Actual updates") + stats.counts.at("Gated updates");
  }
  EXPECT_EQ(reads, 16 + 16 + 15);  // A; B, gated on A; Z read-modify-write, gated on A
  const auto port_cycles = [&](int64_t accesses) {
    return static_cast<int64_t>(std::ceil(static_cast<double>(accesses) / ports));
  };
  const int64_t sparseloop_cycles = std::max({compute_cycles, port_cycles(reads), port_cycles(writes)});
  EXPECT_EQ(sparseloop_cycles, 12);
  EXPECT_EQ(run.analysis.cycles, sparseloop_cycles);  // the analytical twin = Sparseloop
  // The simulator: every MAC, gated or not, one cycle of the PE.
  EXPECT_EQ(static_cast<int64_t>(run.simulation.compute_cycles), run.want.algorithmic_computes);
  EXPECT_EQ(static_cast<int64_t>(run.simulation.compute_cycles), 16);
}

}  // namespace
}  // namespace cyclops::test
