// `cyclops run` on the 2-D mesh and the crossbar presets (configs/arch/mesh_2d.yaml, crossbar.yaml): a 1 × 1
// convolution whose psums are reduced across PEs, bit-exact with every counter equal to the analytical
// model's, the values every link carried counted by hand from the mapping and the routing rules; partial
// sums read back down each network; and a 3 × 3 layer mapped by the mapper on both.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

struct NocRun {
  int status = 0;
  std::string output;
  nlohmann::json summary, noc;
  std::map<std::pair<std::string, std::string>, uint64_t> values;  // (from, to) → values the link carried
};

NocRun CyclopsRun(const std::string& arch, const std::string& layer, const std::string& mapping,
                  const std::string& name) {
  const std::string data = SourceDir() + "/tests/system/noc/data/";
  NocRun run;
  const std::string out = TempDir(name);
  run.status = RunCommand(CyclopsBinary() + " run " + SourceDir() + "/configs/arch/" + arch + " " + data +
                              layer + (mapping.empty() ? "" : " " + data + mapping) + " --out " + out,
                          &run.output);
  if (run.status != 0) return run;
  run.summary = nlohmann::json::parse(ReadFile(out + "/summary.json"));
  run.noc = nlohmann::json::parse(ReadFile(out + "/noc.json"));
  for (const auto& link : run.noc["links"])
    run.values[{run.noc["nodes"][link["from"].get<int>()]["name"],
                run.noc["nodes"][link["to"].get<int>()]["name"]}] += link["values"].get<uint64_t>();
  return run;
}

uint64_t Carried(const NocRun& run, const std::string& from, const std::string& to) {
  auto it = run.values.find({from, to});
  EXPECT_NE(it, run.values.end()) << "no link " << from << " -> " << to;
  return it == run.values.end() ? 0 : it->second;
}

std::string Name(const char* what, int x, int y) {
  return std::string(what).append(std::to_string(x)).append("_").append(std::to_string(y));
}

void ExpectExact(const NocRun& run) {
  EXPECT_EQ(run.summary["outputs_match"], true);
  EXPECT_EQ(run.summary["counter_mismatches"], 0);
}

// map_mesh_m4c4.yaml on the 4 × 4 array: PE (x, y) holds weight (c = y, m = x), takes the 8 inputs of
// channel y (P4 × Q2) and accumulates the 8 outputs of filter x. Multicast groups are numbered by their
// first PE, instance x + 4y, and take the glb banks in turn (group g: bank g mod 4; noc_binding):
//   inputs: 4 groups, row y from bank y;  weights: 16 groups of one PE, PE (x, y) from bank x;
//   outputs: 4 groups, column x reduced into bank x.
TEST(MeshRun, ReducedPsumsRetraceTheXyRoutesBackIntoTheGlb) {
  const NocRun run = CyclopsRun("mesh_2d.yaml", "conv_c4m4.yaml", "map_mesh_m4c4.yaml", "mesh_m4c4");
  ASSERT_EQ(run.status, 0) << run.output;
  ExpectExact(run);
  EXPECT_EQ(run.summary["noc"]["topology"], "mesh2d");
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 4; ++x) {
      // Down into each PE: its 8 inputs and its weight; up out of it: its 8 psums.
      EXPECT_EQ(Carried(run, Name("r", x, y), Name("pe", x, y)), 8u + 1u) << x << "," << y;
      EXPECT_EQ(Carried(run, Name("pe", x, y), Name("r", x, y)), 8u) << x << "," << y;
    }
    const std::string bank = "glb" + std::to_string(y);
    // Bank y sends row y its 8 inputs and column y's 4 weights, and receives column y's 8 reduced psums.
    EXPECT_EQ(Carried(run, bank, Name("r", 0, y)), 8u + 4u);
    EXPECT_EQ(Carried(run, Name("r", 0, y), bank), 8u);
  }
  // Column 0 into bank 0 (row 0) goes north: each link carries the 8 partial sums once, reduced on the way
  // (24 if the three PEs below sent theirs separately).
  EXPECT_EQ(Carried(run, "r0_1", "r0_0"), 8u);
  EXPECT_EQ(Carried(run, "r0_3", "r0_2"), 8u);
  // Column 3 into bank 3 (row 3): south down the column (YX, the XY route from bank 3 backwards), then
  // west along row 3; no other traffic uses these links.
  EXPECT_EQ(Carried(run, "r3_0", "r3_1"), 8u);
  EXPECT_EQ(Carried(run, "r3_3", "r2_3"), 8u);
  EXPECT_EQ(Carried(run, "r1_3", "r0_3"), 8u);
  // Out of bank 2, east along row 2: row 2's 8 inputs and column 2's 4 weights (XY: to column 2 first).
  EXPECT_EQ(Carried(run, "r0_2", "r1_2"), 8u + 4u);
  // DRAM fills the glb once, through the first bank: 16 weights + 32 inputs; 32 final outputs go back.
  EXPECT_EQ(Carried(run, "offchip", "glb0"), 16u + 32u);
  EXPECT_EQ(Carried(run, "glb0", "offchip"), 32u);
}

TEST(CrossbarRun, PsumsComeBackOnTheReturnCrossbarAndAreSummedAtTheBank) {
  const NocRun run = CyclopsRun("crossbar.yaml", "conv_c4m4.yaml", "map_mesh_m4c4.yaml", "crossbar_m4c4");
  ASSERT_EQ(run.status, 0) << run.output;
  ExpectExact(run);
  EXPECT_EQ(run.summary["noc"]["topology"], "crossbar");
  // PE (x, y) is destination 4y + x; the banks are the sources, assigned as on the mesh.
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 4; ++x) {
      const std::string pe = "dst" + std::to_string(4 * y + x);
      EXPECT_EQ(Carried(run, "src" + std::to_string(y), pe), 8u + (x == y ? 1u : 0u))
          << pe;  // inputs (+ weight)
      if (x != y) {
        EXPECT_EQ(Carried(run, "src" + std::to_string(x), pe), 1u) << pe;  // its weight
      }
      for (int bank = 0; bank < 4; ++bank)  // its 8 psums, to its column's bank only
        EXPECT_EQ(Carried(run, pe, "src" + std::to_string(bank)), bank == x ? 8u : 0u) << pe;
    }
  }
  EXPECT_EQ(Carried(run, "offchip", "src0"), 16u + 32u);
  EXPECT_EQ(Carried(run, "src0", "offchip"), 32u);
}

// map_mesh_readback.yaml: each PE's one-psum tile is written back after each of 4 channels and read back
// for the next 3: 16 PEs × 2 (Q) × 3 = 96 psums come back down, on both networks.
TEST(MeshRun, PartialSumsReadBackTravelDownBothNetworks) {
  for (const char* arch : {"mesh_2d.yaml", "crossbar.yaml"}) {
    SCOPED_TRACE(arch);
    const NocRun run =
        CyclopsRun(arch, "conv_c4m4.yaml", "map_mesh_readback.yaml", std::string("readback_") + arch);
    ASSERT_EQ(run.status, 0) << run.output;
    ExpectExact(run);
    // Per PE: 2 × 4 = 8 psum visits down (the first of each q starts from zero: 8 - 2 = 6 fills) + 8 inputs
    // (c, p, q) + 4 weights (c, m) for 4 channels; up: 8 write-backs.
    const bool mesh = std::string(arch) == "mesh_2d.yaml";
    for (int y = 0; y < 4; ++y) {
      for (int x = 0; x < 4; ++x) {
        const std::string pe = mesh ? Name("pe", x, y) : "dst" + std::to_string(4 * y + x);
        uint64_t down = 0, up = 0;
        for (const auto& [link, values] : run.values) {
          if (link.second == pe) down += values;
          if (link.first == pe) up += values;
        }
        EXPECT_EQ(down, 6u + 8u + 4u) << pe;
        EXPECT_EQ(up, 8u) << pe;
      }
    }
  }
}

TEST(MeshRun, TheMapperFindsMappingsBothNetworksRunExactly) {
  for (const char* arch : {"mesh_2d.yaml", "crossbar.yaml"}) {
    SCOPED_TRACE(arch);
    const NocRun run = CyclopsRun(arch, "conv3x3_c4m8.yaml", "", std::string("mapped_") + arch);
    ASSERT_EQ(run.status, 0) << run.output;
    ExpectExact(run);
    // 4 channels × 8 filters × 4 × 4 outputs × 3 × 3 taps.
    EXPECT_EQ(run.summary["macs"], 4 * 8 * 4 * 4 * 9);
  }
}

}  // namespace
}  // namespace cyclops::test
