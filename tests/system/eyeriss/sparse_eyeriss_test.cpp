// The sparse Eyeriss presets through `cyclops run`. Issue 11's done-when for the Eyeriss PEs: `cyclops run
// configs/arch/eyeriss_v2_sparse.yaml` on a sparse MobileNet layer (0.5/128's pw4, C64 -> M128, 16 x 16,
// inputs and weights at fixed_structured density 0.5) prints the actual, gated and skipped MACs and the
// compressed traffic beside the analytical figures, and its stall breakdown adds up. The preset is the SIMD-2
// one (two MACs under each PE's spads, sharing one iact read), so this is also the test of sparse
// optimizations on several MACs per buffer: a MAC group's shared read is its leader's to count, the sparse
// split included.
//
// Expected values: the analytical model's (summary.json carries both, from the same run) and hand counts
// from the densities, written out below. 2,097,152 MACs; iact zero (1/2) -> the weight read is skipped and
// the MAC with it; iact nonzero, weight zero (1/4) -> the weight is absent from its CSC column and the MAC
// skipped (compute skipping); both nonzero (1/4) -> actual.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <utility>

#include "tests/support/paths.h"
#include "tests/support/sparse_fixtures.h"

namespace cyclops::test {
namespace {

constexpr int64_t kMacs = 64 * 128 * 16 * 16;

struct CyclopsOutput {
  std::string output;
  nlohmann::json summary;
};

CyclopsOutput CyclopsRun(const std::string& arch, const std::string& name,
                         const std::string& energy = "eyeriss_v2_65nm_relative.yaml",
                         const std::string& layer = "mobilenet_v1_0.5_128_pw4_sparse.yaml",
                         const std::string& mapping = "eyeriss_v2_sparse_mobilenet_0.5_128_pw4.yaml") {
  const std::string configs = SourceDir() + "/configs/";
  const std::string out = TempDir(name);
  CyclopsOutput run;
  const std::string command = CyclopsBinary() + " run " + configs + "arch/" + arch + " " + configs +
                              "energy/" + energy + " " + configs + "workloads/layers/" + layer + " " +
                              configs + "mappings/" + mapping + " --out " + out;
  EXPECT_EQ(RunCommand(command, &run.output), 0) << run.output;
  run.summary = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  return run;
}

const nlohmann::json& Space(const nlohmann::json& summary, const std::string& level,
                            const std::string& space) {
  for (const auto& entry : summary["storage_levels"])
    if (entry["name"] == level) return entry["data_spaces"][space];
  ADD_FAILURE() << level << " not in summary.json";
  return summary;
}

TEST(SparseEyerissV2, RunPrintsTheSparseSplitBesideTheAnalyticalModel) {
  const CyclopsOutput run = CyclopsRun("eyeriss_v2_sparse.yaml", "sparse_eyeriss_v2");
  const nlohmann::json& s = run.summary;
  EXPECT_TRUE(s["outputs_match"].get<bool>());
  EXPECT_EQ(s["macs"].get<int64_t>(), kMacs);

  // The MACs: simulated = analytical = the hand count.
  const nlohmann::json& computes = s["sparse_computes"];
  for (const char* side : {"analytical", "simulated"}) {
    EXPECT_EQ(computes[side]["actual"].get<int64_t>(), kMacs / 4) << side;
    EXPECT_EQ(computes[side]["gated"].get<int64_t>(), 0) << side;
    EXPECT_EQ(computes[side]["skipped"].get<int64_t>(), kMacs / 4) << side;
  }
  EXPECT_EQ(computes["removed_skipped"].get<int64_t>(), kMacs / 2);  // behind the skipped weight reads
  EXPECT_EQ(computes["removed_gated"].get<int64_t>(), 0);
  EXPECT_NE(run.output.find("sparse split"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("removed before the compute unit: 0 gated, 1,048,576 skipped"), std::string::npos)
      << run.output;

  // The operand reads at the spads, simulated = analytical = hand count. The iact read is shared by the
  // SIMD pair (kMacs / 2 reads), half of them absent (zero iacts are not in the CSC column): counted once
  // per pair, or the actual reads would come out zero.
  const nlohmann::json& iact = Space(s, "iact_spad", "Inputs");
  const nlohmann::json& weight = Space(s, "weight_spad", "Weights");
  for (const char* side : {"analytical", "simulated"}) {
    EXPECT_EQ(iact[side]["reads"].get<int64_t>(), kMacs / 2) << side;
    EXPECT_EQ(iact["sparse"][side]["reads"]["actual"].get<int64_t>(), kMacs / 4) << side;
    EXPECT_EQ(iact["sparse"][side]["reads"]["skipped"].get<int64_t>(), 0) << side;
    EXPECT_EQ(weight[side]["reads"].get<int64_t>(), kMacs) << side;
    EXPECT_EQ(weight["sparse"][side]["reads"]["actual"].get<int64_t>(), kMacs / 4) << side;
    EXPECT_EQ(weight["sparse"][side]["reads"]["skipped"].get<int64_t>(), kMacs / 4) << side;
  }
  // The compressed traffic over the NoC: the spads are filled with the nonzeros only (half of the dense
  // fills), from the CSC iact GLB and the CSC weights in DRAM, simulated as the analytical model says.
  for (const nlohmann::json* space : {&iact, &weight}) {
    const int64_t dense_fills = (*space)["analytical"]["fills"].get<int64_t>();
    EXPECT_GT(dense_fills, 0);
    for (const char* side : {"analytical", "simulated"})
      EXPECT_EQ((*space)["sparse"][side]["fills"]["actual"].get<int64_t>(), dense_fills / 2) << side;
    EXPECT_GT((*space)["sparse"]["simulated"]["metadata_words"].get<int64_t>(), 0);
  }
  // The metadata: a 4-bit run per nonzero (the CSC count), moved in the levels' 8-bit data words. Each
  // spad is filled with its nonzeros and their runs, so its metadata fills are its actual fills x 4 / 8,
  // simulated = analytical; the DRAM's reads of the weights likewise. The PE's own reads of its CSC
  // operands and the outer ranks' offsets (the address spads) are the analytical model's alone.
  auto metadata = [](const nlohmann::json& space, const char* side, const char* action) {
    return space["sparse"][side]["metadata"][action].get<int64_t>();
  };
  const nlohmann::json& dram_weights = Space(s, "DRAM", "Weights");
  for (const auto& [space, action, data] : {std::tuple{&iact, "fills", "fills"},
                                            {&weight, "fills", "fills"},
                                            {&dram_weights, "reads", "reads"}}) {
    const int64_t nonzeros = (*space)["sparse"]["simulated"][data]["actual"].get<int64_t>();
    EXPECT_GT(nonzeros, 0);
    for (const char* side : {"analytical", "simulated"})
      EXPECT_EQ(metadata(*space, side, action), nonzeros * 4 / 8) << side << " " << action;
  }
  for (const nlohmann::json* space : {&iact, &weight}) {
    EXPECT_TRUE((*space)["sparse"]["analytical"]["operand_level"].get<bool>());
    EXPECT_GT(metadata(*space, "analytical", "reads"), 0);
    EXPECT_EQ(metadata(*space, "simulated", "reads"), 0);
  }
  EXPECT_GT(dram_weights["sparse"]["analytical"]["outer_rank_metadata_words"].get<int64_t>(), 0);
  EXPECT_EQ(dram_weights["sparse"]["simulated"]["outer_rank_metadata_words"].get<int64_t>(), 0);
  EXPECT_NE(run.output.find("not simulated: the PE's walk"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("not simulated: outer-rank offsets"), std::string::npos) << run.output;

  // The stall breakdown adds up: MAC-busy cycles + every stall + drain = the simulated cycles.
  int64_t accounted = s["cycles"]["compute"].get<int64_t>() + s["cycles"]["drain"].get<int64_t>();
  for (const auto& stall : s["stalls"]) accounted += stall["cycles"].get<int64_t>();
  EXPECT_EQ(accounted, s["cycles"]["simulated"].get<int64_t>());
  // Skipped MACs take no cycle: the last PE is busy at most for its share of the actual and gated MACs
  // (256 MACs of the 384 in use), well under the dense kMacs / 256.
  EXPECT_LE(s["cycles"]["compute"].get<int64_t>(), 2 * (kMacs / 4) / 256);
}

// The same layer on the dense SIMD-2 preset: the compressed iacts and weights cross the NoC as fewer
// values, so the sparse run moves fewer value-hops (psums, dense in both, are the same).
TEST(SparseEyerissV2, CompressedDataCrossesTheNocAsFewerValues) {
  const CyclopsOutput sparse = CyclopsRun("eyeriss_v2_sparse.yaml", "sparse_eyeriss_v2_noc");
  const CyclopsOutput dense = CyclopsRun("eyeriss_v2_simd2.yaml", "dense_eyeriss_v2_noc");
  const int64_t sparse_hops = sparse.summary["noc"]["value_hops"].get<int64_t>();
  const int64_t dense_hops = dense.summary["noc"]["value_hops"].get<int64_t>();
  EXPECT_GT(sparse_hops, 0);
  EXPECT_LT(sparse_hops, dense_hops);
  // At most half the iact and weight hops go (density 0.5), the psum hops stay: more than half remain.
  EXPECT_GT(2 * sparse_hops, dense_hops);
}

// The same layer with the SIMD pair over two output columns P instead of two output channels M: the pair
// then shares one weight read while each MAC multiplies its own iact, so the read may be skipped only when
// both iacts are zero, which the PE model does not count (it counts the pair leader's operands). Refused
// with the reason (exit 2), not miscounted; the presets constrain `simd` to M, as the chip's SIMD is.
TEST(SparseEyerissV2, ASharedWeightReadSkippedOnSeveralIactsIsRefused) {
  const std::string file = TempDir("simd_over_p") + ".yaml";
  std::ofstream(file) << SparsePw4MappingWithSimdOverP();
  const std::string configs = SourceDir() + "/configs/";
  std::string output;
  EXPECT_EQ(RunCommand(CyclopsBinary() + " run " + configs + "arch/eyeriss_v2_sparse.yaml " + configs +
                           "energy/eyeriss_v2_65nm_relative.yaml " + configs +
                           "workloads/layers/mobilenet_v1_0.5_128_pw4_sparse.yaml " + file + " --out " +
                           TempDir("simd_over_p_out"),
                       &output),
            2)
      << output;
  EXPECT_NE(output.find("several MACs share one Weights read at 'weight_spad' while each multiplies its own "
                        "Inputs"),
            std::string::npos)
      << output;
}

// Eyeriss v1's zero gating and RLE DRAM (configs/arch/eyeriss_v1_sparse.yaml) on AlexNet conv3 at 04.2.1's
// densities: a zero ifmap gates the filter read and the MAC behind it, so the gated filter reads are the
// removed MACs, and those are the MACs of zero inputs: about 1 - 0.275 of them (edge inputs of the padded
// map are used fewer times, so within 0.5 % of the analytical model's expectation). The RLE inputs cross
// DRAM as the analytical model says, exactly.
TEST(SparseEyerissV1, ZeroGatingAndRunLengthDram) {
  const CyclopsOutput run =
      CyclopsRun("eyeriss_v1_sparse.yaml", "sparse_eyeriss_v1", "eyeriss_v1_65nm_relative.yaml",
                 "alexnet_conv3_sparse.yaml", "eyeriss_v1_alexnet_conv3.yaml");
  const nlohmann::json& s = run.summary;
  EXPECT_TRUE(s["outputs_match"].get<bool>());
  const int64_t macs = 384 * 256 * 3 * 3 * 13 * 13;
  EXPECT_EQ(s["macs"].get<int64_t>(), macs);
  const nlohmann::json& computes = s["sparse_computes"];
  const double analytical_actual = computes["analytical"]["actual"].get<double>();
  EXPECT_NEAR(computes["simulated"]["actual"].get<double>(), analytical_actual, 0.005 * analytical_actual);
  EXPECT_NEAR(analytical_actual, 0.275 * macs, 0.005 * macs);
  const nlohmann::json& filter = Space(s, "filter_spad", "Weights");
  EXPECT_EQ(filter["sparse"]["simulated"]["reads"]["gated"].get<int64_t>(),
            computes["removed_gated"].get<int64_t>());
  EXPECT_EQ(filter["sparse"]["simulated"]["reads"]["actual"].get<int64_t>(),
            computes["simulated"]["actual"].get<int64_t>());
  const nlohmann::json& dram_inputs = Space(s, "DRAM", "Inputs");
  EXPECT_EQ(dram_inputs["sparse"]["simulated"]["reads"]["actual"].get<int64_t>(),
            dram_inputs["sparse"]["analytical"]["reads"]["actual"].get<int64_t>());
  EXPECT_LT(dram_inputs["sparse"]["simulated"]["reads"]["actual"].get<int64_t>(),
            dram_inputs["simulated"]["reads"].get<int64_t>());
  int64_t accounted = s["cycles"]["compute"].get<int64_t>() + s["cycles"]["drain"].get<int64_t>();
  for (const auto& stall : s["stalls"]) accounted += stall["cycles"].get<int64_t>();
  EXPECT_EQ(accounted, s["cycles"]["simulated"].get<int64_t>());
}

}  // namespace
}  // namespace cyclops::test
