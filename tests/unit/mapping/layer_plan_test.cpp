// The mapping compiler on Timeloop's tutorial-06 Eyeriss case (conv layer C128 M256 R3 S3 P56 Q56 on a
// 14 x 12 PE array). Every expected value is derived by hand from timeloop-mapper.map.yaml below.
//
// Storage levels, innermost first: psum_spad 0, weights_spad 1, ifmap_spad 2, inter_PE_spatial 3,
// inter_PE_column_spatial 4, shared_glb 5, DRAM 6. Data spaces: Weights[C][M][R][S],
// Inputs[N][C][R+P][S+Q], Outputs[N][M][Q][P]. Dimensions C M R S N P Q.
//
// The mapping's loops with factor > 1, innermost first (position: loop, owner level, stride):
//   0: M8 temporal, psum_spad            (stride 1)
//   1: C8 temporal, weights_spad         (permutation CRMSNPQ: C inside R)
//   2: R3 temporal, weights_spad
//   3: S3 spatial,  inter_PE_spatial     (permutation SMCRNPQ: S inside M)
//   4: M4 spatial,  inter_PE_spatial     (stride 8)
//   5: Q14 spatial, inter_PE_column_spatial
//   6: P8 temporal, shared_glb           (permutation PCMRSNQ)
//   7: C4 temporal, shared_glb           (stride 8)
//   8: M2 temporal, shared_glb           (stride 32)
//   9: M4 temporal, DRAM                 (permutation MPCQRSN, stride 64)
//  10: P7 temporal, DRAM                 (stride 8)
//  11: C4 temporal, DRAM                 (stride 32)
//  12: Q4 temporal, DRAM                 (stride 14)
// A MAC / spad instance is numbered by the spatial loops, innermost least significant:
//   i = s + 3 * m + 12 * q   (s < 3, m < 4, q < 14).
#include "sim/mapping/layer_plan.h"

#include <gtest/gtest.h>

#include <set>

#include "sim/mapping/layer_program.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::mapping {
namespace {

class Tutorial06Test : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string dir =
        test::ReferenceDir() + "/timeloop/tutorial-06-mapper-convlayer-eyeriss/ref-output";
    spec_ = spec::LoadSpecFiles({dir + "/parsed-processed-input.yaml", dir + "/timeloop-mapper.map.yaml"});
    ASSERT_TRUE(spec_.architecture && spec_.workload && spec_.mapping);
    plan_ = std::make_unique<LayerPlan>(*spec_.architecture, *spec_.workload, *spec_.mapping);
    weights_ = spec_.workload->DataSpaceIndex("Weights");
    inputs_ = spec_.workload->DataSpaceIndex("Inputs");
    outputs_ = spec_.workload->DataSpaceIndex("Outputs");
  }
  int Level(const std::string& name) const { return spec_.architecture->StorageIndex(name); }
  int Dim(const std::string& name) const { return spec_.workload->DimensionIndex(name); }

  spec::Spec spec_;
  std::unique_ptr<LayerPlan> plan_;
  int weights_ = -1, inputs_ = -1, outputs_ = -1;
};

TEST_F(Tutorial06Test, StorageLevelsAreIndexedInnermostFirst) {
  EXPECT_EQ(Level("psum_spad"), 0);
  EXPECT_EQ(Level("weights_spad"), 1);
  EXPECT_EQ(Level("ifmap_spad"), 2);
  EXPECT_EQ(Level("inter_PE_spatial"), 3);
  EXPECT_EQ(Level("inter_PE_column_spatial"), 4);
  EXPECT_EQ(Level("shared_glb"), 5);
  EXPECT_EQ(Level("DRAM"), 6);
}

TEST_F(Tutorial06Test, LoopNestMatchesTheMappingFile) {
  // The 13 loops listed at the top of this file, with their strides.
  struct Expected {
    const char* dimension;
    int64_t factor, stride;
    bool spatial;
    const char* level;
  };
  const Expected expected[] = {{"M", 8, 1, false, "psum_spad"},
                               {"C", 8, 1, false, "weights_spad"},
                               {"R", 3, 1, false, "weights_spad"},
                               {"S", 3, 1, true, "inter_PE_spatial"},
                               {"M", 4, 8, true, "inter_PE_spatial"},
                               {"Q", 14, 1, true, "inter_PE_column_spatial"},
                               {"P", 8, 1, false, "shared_glb"},
                               {"C", 4, 8, false, "shared_glb"},
                               {"M", 2, 32, false, "shared_glb"},
                               {"M", 4, 64, false, "DRAM"},
                               {"P", 7, 8, false, "DRAM"},
                               {"C", 4, 32, false, "DRAM"},
                               {"Q", 4, 14, false, "DRAM"}};
  const auto& loops = plan_->nest().loops();
  ASSERT_EQ(loops.size(), std::size(expected));
  for (size_t p = 0; p < loops.size(); ++p) {
    SCOPED_TRACE("loop position " + std::to_string(p));
    EXPECT_EQ(loops[p].dimension, Dim(expected[p].dimension));
    EXPECT_EQ(loops[p].factor, expected[p].factor);
    EXPECT_EQ(loops[p].stride, expected[p].stride);
    EXPECT_EQ(loops[p].spatial, expected[p].spatial);
    EXPECT_EQ(loops[p].level, Level(expected[p].level));
  }
}

TEST_F(Tutorial06Test, ChainsListTheKeepingLevelsInnermostFirst) {
  // From the datatype directives: Weights kept only at weights_spad and DRAM; Inputs at ifmap_spad,
  // shared_glb, DRAM; Outputs at psum_spad, shared_glb, DRAM.
  EXPECT_EQ(plan_->Chain(weights_), (std::vector<int>{Level("weights_spad"), Level("DRAM")}));
  EXPECT_EQ(plan_->Chain(inputs_),
            (std::vector<int>{Level("ifmap_spad"), Level("shared_glb"), Level("DRAM")}));
  EXPECT_EQ(plan_->Chain(outputs_),
            (std::vector<int>{Level("psum_spad"), Level("shared_glb"), Level("DRAM")}));
  EXPECT_EQ(plan_->Parent(weights_, Level("weights_spad")), Level("DRAM"));
  EXPECT_EQ(plan_->Parent(inputs_, Level("ifmap_spad")), Level("shared_glb"));
  EXPECT_EQ(plan_->Parent(outputs_, Level("shared_glb")), Level("DRAM"));
  EXPECT_EQ(plan_->Parent(outputs_, Level("DRAM")), -1);
  EXPECT_EQ(plan_->Parent(weights_, Level("shared_glb")), -1);  // not in Weights' chain
}

TEST_F(Tutorial06Test, InstancesCountTheSpatialLoopsAbove) {
  // MACs and spads: S3 x M4 x Q14 = 168. inter_PE_spatial: only Q14 above it = 14.
  // inter_PE_column_spatial, shared_glb, DRAM: no spatial loop above = 1.
  EXPECT_EQ(plan_->Instances(-1), 168);
  EXPECT_EQ(plan_->Instances(Level("psum_spad")), 168);
  EXPECT_EQ(plan_->Instances(Level("ifmap_spad")), 168);
  EXPECT_EQ(plan_->Instances(Level("inter_PE_spatial")), 14);
  EXPECT_EQ(plan_->Instances(Level("inter_PE_column_spatial")), 1);
  EXPECT_EQ(plan_->Instances(Level("shared_glb")), 1);
  EXPECT_EQ(plan_->Instances(Level("DRAM")), 1);
  // Boundaries: the MACs start at loop 0; psum_spad's tile ends after M8 (1); weights_spad's after R3 (3);
  // inter_PE_column_spatial's after Q14 (6); shared_glb's after M2 (9); DRAM's after all 13.
  EXPECT_EQ(plan_->Boundary(-1), 0);
  EXPECT_EQ(plan_->Boundary(Level("psum_spad")), 1);
  EXPECT_EQ(plan_->Boundary(Level("weights_spad")), 3);
  EXPECT_EQ(plan_->Boundary(Level("inter_PE_column_spatial")), 6);
  EXPECT_EQ(plan_->Boundary(Level("shared_glb")), 9);
  EXPECT_EQ(plan_->Boundary(Level("DRAM")), 13);
}

TEST_F(Tutorial06Test, SpatialOriginDecodesTheInstanceNumber) {
  // i = s + 3m + 12q. i = 1 + 3*2 + 12*5 = 67: S = 1, M = 2 * 8 (stride of M4) = 16, Q = 5, rest 0.
  const std::vector<int64_t> origin = plan_->SpatialOrigin(-1, 67);
  std::vector<int64_t> expected(7, 0);
  expected[Dim("S")] = 1;
  expected[Dim("M")] = 16;
  expected[Dim("Q")] = 5;
  EXPECT_EQ(origin, expected);
  // inter_PE_spatial instance 5 sits under Q14 only: Q = 5.
  std::vector<int64_t> column(7, 0);
  column[Dim("Q")] = 5;
  EXPECT_EQ(plan_->SpatialOrigin(Level("inter_PE_spatial"), 5), column);
}

TEST_F(Tutorial06Test, AncestorDropsTheSpatialDigitsBetweenTheLevels) {
  const int pe_column = Level("inter_PE_spatial");
  for (int64_t i = 0; i < 168; ++i) {
    SCOPED_TRACE("instance " + std::to_string(i));
    // No spatial loop between the MACs and the spads: the PE is its own ancestor.
    EXPECT_EQ(plan_->Ancestor(-1, i, Level("psum_spad")), i);
    EXPECT_EQ(plan_->Ancestor(-1, i, Level("ifmap_spad")), i);
    // Below inter_PE_spatial are S3 and M4: instance i sits in column q = i / 12.
    EXPECT_EQ(plan_->Ancestor(Level("weights_spad"), i, pe_column), i / 12);
    // One shared_glb and one DRAM.
    EXPECT_EQ(plan_->Ancestor(Level("ifmap_spad"), i, Level("shared_glb")), 0);
    EXPECT_EQ(plan_->Ancestor(Level("psum_spad"), i, Level("DRAM")), 0);
    // Going up in two steps lands where one step does.
    EXPECT_EQ(plan_->Ancestor(pe_column, plan_->Ancestor(-1, i, pe_column), Level("shared_glb")),
              plan_->Ancestor(-1, i, Level("shared_glb")));
  }
}

// Checks that groups partition the children and every group has `size` members.
void ExpectPartition(const std::vector<ChildGroup>& groups, size_t count, size_t size, int64_t children) {
  ASSERT_EQ(groups.size(), count);
  std::set<int64_t> seen;
  for (const ChildGroup& group : groups) {
    EXPECT_EQ(group.children.size(), size);
    EXPECT_EQ(group.parent, 0);  // one DRAM / one shared_glb instance
    for (int64_t child : group.children) EXPECT_TRUE(seen.insert(child).second) << "child " << child;
  }
  EXPECT_EQ(static_cast<int64_t>(seen.size()), children);
}

TEST_F(Tutorial06Test, WeightsAreMulticastAcrossTheFourteenColumns) {
  // Between weights_spad and DRAM the fan-outs are S3 x M4 (inter_PE_spatial) and Q14
  // (inter_PE_column_spatial). Weights[C][M][R][S] is indexed by S and M but not Q: the 14 PEs that
  // differ only in q hold the same weights. Groups = 3 * 4 = 12 of 14 children; the group of (s, m)
  // is {s + 3m + 12q : q < 14}.
  const std::vector<ChildGroup> groups = plan_->Groups(weights_, Level("weights_spad"));
  ExpectPartition(groups, 12, 14, 168);
  for (const ChildGroup& group : groups) {
    const int64_t sm = group.children[0] % 12;
    for (int64_t q = 0; q < 14; ++q) EXPECT_EQ(group.children[q], sm + 12 * q);
  }
}

TEST_F(Tutorial06Test, InputsAreMulticastAcrossTheFourOutputChannelPes) {
  // Between ifmap_spad and shared_glb: S3 x M4, then Q14. Inputs[N][C][R+P][S+Q] is indexed by S and Q
  // but not M: the 4 PEs that differ only in m share inputs. The per-level offsets (s at
  // inter_PE_spatial, q at inter_PE_column_spatial) are kept apart, so PEs with equal s + q but
  // different (s, q) are not merged (as in Timeloop). Groups = 3 * 14 = 42 of 4; the group of (s, q)
  // is {s + 3m + 12q : m < 4}.
  const std::vector<ChildGroup> groups = plan_->Groups(inputs_, Level("ifmap_spad"));
  ExpectPartition(groups, 42, 4, 168);
  for (const ChildGroup& group : groups) {
    const int64_t s = group.children[0] % 3, q = group.children[0] / 12;
    for (int64_t m = 0; m < 4; ++m) EXPECT_EQ(group.children[m], s + 3 * m + 12 * q);
  }
}

TEST_F(Tutorial06Test, OutputsAreReducedAcrossTheThreeFilterRowPes) {
  // Between psum_spad and shared_glb: S3 x M4, then Q14. Outputs[N][M][Q][P] is indexed by M and Q but
  // not S: the 3 PEs that differ only in s add into the same psums. Groups = 4 * 14 = 56 of 3; the group
  // of (m, q) is {s + 3m + 12q : s < 3}.
  const std::vector<ChildGroup> groups = plan_->Groups(outputs_, Level("psum_spad"));
  ExpectPartition(groups, 56, 3, 168);
  for (const ChildGroup& group : groups) {
    const int64_t base = group.children[0];
    EXPECT_EQ(base % 3, 0);
    for (int64_t s = 0; s < 3; ++s) EXPECT_EQ(group.children[s], base + s);
  }
}

TEST_F(Tutorial06Test, UpperLevelsHaveOneGroupOfOneChild) {
  // shared_glb -> DRAM: no spatial loop between them.
  const std::vector<ChildGroup> groups = plan_->Groups(inputs_, Level("shared_glb"));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].children, (std::vector<int64_t>{0}));
}

TEST_F(Tutorial06Test, FirstMovingLoopSkipsLoopsThatLeaveTheTileInPlace) {
  // Weights at weights_spad: temporal loops above are P8 (6), C4 (7), ...; P does not index Weights, C
  // does: position 7. Weights at DRAM: no loop above: loops().size() = 13.
  EXPECT_EQ(plan_->FirstMovingLoop(weights_, Level("weights_spad")), 7);
  EXPECT_EQ(plan_->FirstMovingLoop(weights_, Level("DRAM")), 13);
  // Inputs at ifmap_spad: P8 (6) indexes R+P: position 6.
  EXPECT_EQ(plan_->FirstMovingLoop(inputs_, Level("ifmap_spad")), 6);
  // Outputs at psum_spad: C8 (1) and R3 (2) do not index Outputs, P8 (6) does: position 6.
  EXPECT_EQ(plan_->FirstMovingLoop(outputs_, Level("psum_spad")), 6);
  // Outputs at shared_glb: above it M4 (9) indexes M: position 9.
  EXPECT_EQ(plan_->FirstMovingLoop(outputs_, Level("shared_glb")), 9);
  // Inputs at shared_glb: M4 (9) does not index Inputs, P7 (10) does: position 10.
  EXPECT_EQ(plan_->FirstMovingLoop(inputs_, Level("shared_glb")), 10);
  EXPECT_TRUE(plan_->Indexes(inputs_, Dim("P")));
  EXPECT_FALSE(plan_->Indexes(inputs_, Dim("M")));
  EXPECT_FALSE(plan_->Indexes(outputs_, Dim("C")));
}

TEST_F(Tutorial06Test, PeProgramBurstsAreTheLoopsInsideTheFirstMove) {
  // Operand levels: Weights weights_spad, Inputs ifmap_spad, Outputs psum_spad. Tiles first move at
  // 7, 6, 6: the burst is every temporal loop below 6: M8 x C8 x R3 = 192 MACs. Bursts per PE:
  // MACs C128 M256 R3 S3 P56 Q56 = 924,844,032 / 168 PEs = 5,505,024 per PE / 192 = 28,672
  // (= P8 C4 M2 M4 P7 C4 Q4 = 8*4*2*4*7*4*4).
  const HardwareLayout layout(*spec_.architecture);
  const LayerProgram layer = CompileLayer(*plan_, layout, 32);
  const PeProgram& program = layer.pe;
  EXPECT_EQ(program.operand_level,
            (std::vector<int>{Level("weights_spad"), Level("ifmap_spad"), Level("psum_spad")}));
  EXPECT_EQ(program.acquire_at, (std::vector<int>{7, 6, 6}));
  EXPECT_EQ(program.burst, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(program.outer, (std::vector<int>{6, 7, 8, 9, 10, 11, 12}));
  EXPECT_EQ(program.burst_macs, 192);
  EXPECT_EQ(program.bursts, 28672);
  EXPECT_EQ(program.burst_macs * program.bursts * plan_->Instances(-1), spec_.workload->TotalOperations());
  // The burst kernel runs the longest loop innermost, preferring one that leaves the psum in place: C8
  // (Outputs do not move along C) ahead of M8; R3 last.
  EXPECT_EQ(program.burst_factors, (std::vector<int64_t>{8, 8, 3}));
  EXPECT_EQ(layer.pes.size(), 168u);
  const std::string& listing = layer.pe_listing;
  EXPECT_NE(listing.find("mac_burst 192"), std::string::npos) << listing;
  EXPECT_NE(listing.find("168 PEs, 28672 bursts of 192 MACs each"), std::string::npos) << listing;
}

TEST(OdometerTest, CountsInnermostFastestAndReportsTheAdvancedLoop) {
  // A 2 x 3 walk: R (factor 2) innermost, P (factor 3) outside it, one buffer above the MACs.
  spec::Workload workload;
  workload.dimensions = {"R", "P"};
  workload.bounds = {2, 3};
  workload.data_spaces = {{"Weights", {{{0, -1}}}, false},
                          {"Inputs", {{{0, -1}, {1, -1}}}, false},
                          {"Outputs", {{{1, -1}}}, true}};
  spec::Mapping mapping;
  spec::LevelMapping level;
  level.temporal_factors = {2, 3};
  level.temporal_permutation = {0, 1};
  level.spatial_factors = {1, 1};
  level.spatial_permutation = {0, 1};
  level.keep = {true, true, true};
  mapping.levels = {level};
  const analysis::LoopNest nest(workload, mapping);
  Odometer odometer(nest, {0, 1});
  EXPECT_EQ(odometer.Iterations(), 6);
  // (r, p): (0,0) -> (1,0) loop 0 -> (0,1) loop 1 -> (1,1) 0 -> (0,2) 1 -> (1,2) 0 -> end.
  const int advanced[] = {0, 1, 0, 1, 0, -1};
  const std::vector<int64_t> origins[] = {{1, 0}, {0, 1}, {1, 1}, {0, 2}, {1, 2}, {0, 0}};
  for (int step = 0; step < 6; ++step) {
    EXPECT_EQ(odometer.Advance(), advanced[step]) << "step " << step;
    EXPECT_EQ(odometer.origin(), origins[step]) << "step " << step;
  }
}

}  // namespace
}  // namespace cyclops::mapping
