// The Eyeriss v1/v2 presets under configs/: every architecture loads with its energy tables and has the
// MAC count of /work/shared/reference/eyeriss.md, every layer file has the MAC count worked out by hand
// below, the two preset mappings analyze to 100 % of their layer's MACs, and the dataflow constraints
// (configs/constraints/) load with their presets and bound what the mapper can do as worked out below.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/analysis/analysis.h"
#include "sim/mapping/mapper.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops {
namespace {

std::string Config(const std::string& relative) {
  return test::SourceDir() + "/configs/" + relative;
}

// ---------------------------------------------------------------- architectures + energy tables

struct ArchCase {
  std::string arch;
  std::vector<std::string> energy;  // every table that prices this architecture
  int64_t macs;                     // MAC instances (= PEs: 1 MAC per PE, but 2 in the SIMD-2 preset)
};

const std::vector<std::string> kV1Energy = {"energy/eyeriss_v1_65nm_relative.yaml",
                                            "energy/eyeriss_v1_32nm_pj.yaml"};
const std::vector<std::string> kV2Energy = {"energy/eyeriss_v2_65nm_relative.yaml",
                                            "energy/eyeriss_v2_32nm_pj.yaml"};

std::vector<ArchCase> ArchCases() {
  return {
      {"arch/eyeriss_v1.yaml", kV1Energy, 168},        // 12 × 14
      {"arch/eyeriss_v1_16x16.yaml", kV1Energy, 256},  // Eyexam scaling
      {"arch/eyeriss_v1_32x32.yaml", kV1Energy, 1024},
      {"arch/eyeriss_v1_128x128.yaml", kV1Energy, 16384},
      {"arch/eyeriss_v2.yaml", kV2Energy, 192},                   // 8 × 2 clusters × 3 × 4 PEs
      {"arch/eyeriss_v2_simd2.yaml", kV2Energy, 384},             // the same 192 PEs × 2 MACs
      {"arch/eyeriss_v2_sparse.yaml", kV2Energy, 384},            // SIMD-2 with the CSC spads
      {"arch/eyeriss_v1_sparse.yaml", kV1Energy, 168},            // v1 with gating and RLE DRAM
      {"arch/eyeriss_v2_4x4_clusters.yaml", kV2Energy, 256},      // 4 × 4 clusters × 4 × 4 PEs
      {"arch/eyeriss_v2_8x8_clusters.yaml", kV2Energy, 1024},     // 8 × 8 × 16
      {"arch/eyeriss_v2_32x32_clusters.yaml", kV2Energy, 16384},  // 32 × 32 × 16
  };
}

TEST(PresetsTest, EveryArchitectureLoadsWithEveryEnergyTableAndHasItsMacCount) {
  for (const ArchCase& c : ArchCases()) {
    for (const std::string& energy : c.energy) {
      SCOPED_TRACE(c.arch + " + " + energy);
      spec::Spec spec;
      ASSERT_NO_THROW(spec = spec::LoadSpecFiles({Config(c.arch), Config(energy)}));
      ASSERT_TRUE(spec.architecture);
      ASSERT_TRUE(spec.energy);
      EXPECT_EQ(spec.architecture->arithmetic.instances, c.macs);
      EXPECT_DOUBLE_EQ(spec.architecture->global_cycle_seconds, 5e-9);  // 200 MHz
      // The table prices every component: each real storage level reads, writes and updates; the MAC
      // computes.
      for (const spec::StorageLevelSpec& level : spec.architecture->storage) {
        if (level.is_dummy) continue;
        for (const char* action : {"read", "write", "update"})
          EXPECT_TRUE(spec.energy->Lookup(level.name, action)) << level.name << " " << action;
      }
      EXPECT_TRUE(spec.energy->Lookup(spec.architecture->arithmetic.name, "compute"));
    }
  }
}

TEST(PresetsTest, EyerissV1StorageMatchesThePaper) {
  const spec::Spec spec = spec::LoadSpecFiles({Config("arch/eyeriss_v1.yaml")});
  const spec::Architecture& a = *spec.architecture;
  auto capacity = [&](const std::string& name) { return *a.storage.at(a.StorageIndex(name)).Capacity(); };
  EXPECT_EQ(capacity("glb") * 2, 100 * 1024);       // 100 kB of 16-bit values
  EXPECT_EQ(capacity("filter_glb") * 2, 8 * 1024);  // 8 kB
  EXPECT_EQ(capacity("ifmap_spad"), 12);
  EXPECT_EQ(capacity("filter_spad"), 224);
  EXPECT_EQ(capacity("psum_spad"), 24);
  EXPECT_EQ(a.storage.at(a.StorageIndex("psum_spad")).instances, 168);
}

TEST(PresetsTest, EyerissV2StorageMatchesThePaper) {
  const spec::Spec spec = spec::LoadSpecFiles({Config("arch/eyeriss_v2.yaml")});
  const spec::Architecture& a = *spec.architecture;
  auto level = [&](const std::string& name) { return a.storage.at(a.StorageIndex(name)); };
  EXPECT_EQ(*level("iact_glb").Capacity(), 3 * 1536);           // 3 banks × 1.5 kB of 8-bit iacts
  EXPECT_EQ(*level("psum_glb").Capacity() * 20, 4 * 1920 * 8);  // 4 banks × 1.875 kB of 20-bit psums
  EXPECT_EQ(level("iact_glb").instances, 16);
  EXPECT_EQ(*level("iact_spad").Capacity(), 16);
  EXPECT_EQ(*level("weight_spad").Capacity(), 192);
  EXPECT_EQ(*level("psum_spad").Capacity(), 32);
  EXPECT_EQ(a.storage.front().word_bits, 8);  // innermost level: 8-bit simulated operands
}

// The sparse v2 PE (eyeriss.md): iact spad 16 entries with a 9 × 4 b address spad, weight spad at most 192
// weights with a 16 × 7 b address spad, psum spad 32 × 20 b. The CSC runs (4 b per entry) and the addresses
// are one metadata store of 4-bit words per spad: 16 + 9 = 25 for iacts, 192 + 16 × 7 / 4 = 220 for weights.
TEST(PresetsTest, EyerissV2SparseSpadsMatchThePaper) {
  // Sparse optimizations resolve against a problem's data spaces.
  const spec::Spec spec =
      spec::LoadSpecFiles({Config("arch/eyeriss_v2_sparse.yaml"),
                           Config("workloads/layers/mobilenet_v1_0.5_128_pw4_sparse.yaml")});
  const spec::Architecture& a = *spec.architecture;
  ASSERT_TRUE(spec.sparse);
  auto level = [&](const std::string& name) { return a.storage.at(a.StorageIndex(name)); };
  auto metadata = [&](const std::string& name) { return spec.sparse->attributes.at(a.StorageIndex(name)); };
  EXPECT_EQ(*level("iact_spad").Capacity(), 16);
  EXPECT_EQ(*level("weight_spad").Capacity(), 192);
  EXPECT_EQ(*level("psum_spad").Capacity(), 32);
  EXPECT_EQ(level("psum_spad").word_bits, 20);
  EXPECT_EQ(metadata("iact_spad").metadata_storage_width, 4);
  EXPECT_EQ(*metadata("iact_spad").metadata_storage_depth, 16 + 9);
  EXPECT_EQ(metadata("weight_spad").metadata_storage_width, 4);
  EXPECT_EQ(*metadata("weight_spad").metadata_storage_depth, 192 + 16 * 7 / 4);
  // The CSC iact GLB: two 12-bit (value, run) entries per 24-bit row, 3 banks × 1.5 kB.
  EXPECT_EQ(*level("iact_glb").Capacity() * 12, 3 * 1536 * 8);
  EXPECT_EQ(a.arithmetic.instances, 384);
}

// ---------------------------------------------------------------- layers

struct LayerCase {
  std::string file;
  int64_t macs;  // at N = 1
  int repeats;   // occurrences in the network
};

// AlexNet (227 × 227; C and M per group):
//   conv1  G1 C3   M96  11×11 55×55:  96 · 3 · 121 · 3,025     = 105,415,200
//   conv2  G2 C48  M128 5×5   27×27:  2 · 48 · 128 · 25 · 729  = 223,948,800
//   conv3  G1 C256 M384 3×3   13×13:  256 · 384 · 9 · 169      = 149,520,384
//   conv4  G2 C192 M192 3×3   13×13:  2 · 192 · 192 · 9 · 169  = 112,140,288
//   conv5  G2 C192 M128 3×3   13×13:  2 · 192 · 128 · 9 · 169  =  74,760,192
//   total                                                      = 665,784,864 (≈ 666 M)
const std::vector<LayerCase> kAlexNet = {{"alexnet_conv1.yaml", 105415200, 1},
                                         {"alexnet_conv2.yaml", 223948800, 1},
                                         {"alexnet_conv3.yaml", 149520384, 1},
                                         {"alexnet_conv4.yaml", 112140288, 1},
                                         {"alexnet_conv5.yaml", 74760192, 1}};

// MobileNet v1, width 1.0, 224 × 224 (dw: G channels, 3 × 3; pw: C → M, 1 × 1):
//   conv1  3→32, 3×3/2, 112²:   112² · 32 · 27      = 10,838,016
//   dw1 32 @112²:  112² · 32 · 9 =  3,612,672    pw1 32→64 @112²:   112² · 32 · 64   = 25,690,112
//   dw2 64/2 →56²:  56² · 64 · 9 =  1,806,336    pw2 64→128 @56²:    56² · 64 · 128   = 25,690,112
//   dw3 128 @56²:   56² · 128 · 9 = 3,612,672    pw3 128→128 @56²:   56² · 128 · 128  = 51,380,224
//   dw4 128/2 →28²: 28² · 128 · 9 =   903,168    pw4 128→256 @28²:   28² · 128 · 256  = 25,690,112
//   dw5 256 @28²:   28² · 256 · 9 = 1,806,336    pw5 256→256 @28²:   28² · 256 · 256  = 51,380,224
//   dw6 256/2 →14²: 14² · 256 · 9 =   451,584    pw6 256→512 @14²:   14² · 256 · 512  = 25,690,112
//   dw7–11 512 @14² (×5): 14² · 512 · 9 = 903,168   pw7–11 512→512 (×5): 14² · 512 · 512 = 51,380,224
//   dw12 512/2 →7²:  7² · 512 · 9 =   225,792    pw12 512→1024 @7²:   7² · 512 · 1024 = 25,690,112
//   dw13 1024 @7²:   7² · 1024 · 9 =  451,584    pw13 1024→1024 @7²:  7² · 1024 · 1024 = 51,380,224
//   fc 1024→1000                                 = 1,024,000
//   total (dw7–11 and pw7–11 five times)         = 568,740,352 (the paper's 569 M mult-adds)
const std::vector<LayerCase> kMobileNet = {
    {"mobilenet_v1_conv1.yaml", 10838016, 1},  {"mobilenet_v1_dw1.yaml", 3612672, 1},
    {"mobilenet_v1_pw1.yaml", 25690112, 1},    {"mobilenet_v1_dw2.yaml", 1806336, 1},
    {"mobilenet_v1_pw2.yaml", 25690112, 1},    {"mobilenet_v1_dw3.yaml", 3612672, 1},
    {"mobilenet_v1_pw3.yaml", 51380224, 1},    {"mobilenet_v1_dw4.yaml", 903168, 1},
    {"mobilenet_v1_pw4.yaml", 25690112, 1},    {"mobilenet_v1_dw5.yaml", 1806336, 1},
    {"mobilenet_v1_pw5.yaml", 51380224, 1},    {"mobilenet_v1_dw6.yaml", 451584, 1},
    {"mobilenet_v1_pw6.yaml", 25690112, 1},    {"mobilenet_v1_dw7_11.yaml", 903168, 5},
    {"mobilenet_v1_pw7_11.yaml", 51380224, 5}, {"mobilenet_v1_dw12.yaml", 225792, 1},
    {"mobilenet_v1_pw12.yaml", 25690112, 1},   {"mobilenet_v1_dw13.yaml", 451584, 1},
    {"mobilenet_v1_pw13.yaml", 51380224, 1},   {"mobilenet_v1_fc.yaml", 1024000, 1}};

// AlexNet FC layers (1 × 1 convolutions on a 1 × 1 map; fc6 reads the 6 × 6 × 256 pooled conv5 output):
//   fc6  9,216 · 4,096 = 37,748,736    fc7  4,096 · 4,096 = 16,777,216    fc8  4,096 · 1,000 = 4,096,000
//   total 58,621,952; with the conv layers 724,406,816 — Eyeriss v2's "AlexNet 724.4 M MACs".
const std::vector<LayerCase> kAlexNetFc = {
    {"alexnet_fc6.yaml", 37748736, 1}, {"alexnet_fc7.yaml", 16777216, 1}, {"alexnet_fc8.yaml", 4096000, 1}};

// GoogLeNet (Szegedy et al. 2015, Table 1), 224 × 224; an inception module on an H × H map with input
// channels K and branches (#1×1 a, #3×3 reduce b, #3×3 c, #5×5 reduce d, #5×5 e, pool proj f) costs
//   H² · (K·a + K·b + 9·b·c + K·d + 25·d·e + K·f):
//   conv1  3→64, 7×7/2, 112²:  112² · 64 · 3 · 49 = 118,013,952   (Table 1: 118 M)
//   conv2  56² · (64·64 + 9·64·192) = 12,845,056 + 346,816,512    (360 M)
//   3a 28², K 192 (64, 96, 128, 16, 32, 32):    784 · 163,328 = 128,049,152   (128 M)
//   3b 28², K 256 (128, 128, 192, 32, 96, 64):  784 · 388,096 = 304,267,264   (304 M)
//   4a 14², K 480 (192, 96, 208, 16, 48, 64):   196 · 375,552 =  73,608,192   (73 M)
//   4b 14², K 512 (160, 112, 224, 24, 64, 64):  196 · 448,512 =  87,908,352   (88 M)
//   4c 14², K 512 (128, 128, 256, 24, 64, 64):  196 · 509,440 =  99,850,240   (100 M)
//   4d 14², K 512 (112, 144, 288, 32, 64, 64):  196 · 604,672 = 118,515,712   (119 M)
//   4e 14², K 528 (256, 160, 320, 32, 128, 128): 196 · 867,328 = 169,996,288  (170 M)
//   5a 7²,  K 832 (256, 160, 320, 32, 128, 128):  49 · 1,042,432 = 51,079,168 (Table 1 says 54 M)
//   5b 7²,  K 832 (384, 192, 384, 48, 128, 128):  49 · 1,442,816 = 70,697,984 (71 M)
//   fc 1,024 · 1,000 = 1,024,000                                               (1 M)
//   total 1,582,671,872 ("1.5 billion multiply-adds")
struct Inception {
  std::string name;
  int64_t hw, k, a, b, c, d, e, f;
};
std::vector<LayerCase> GoogLeNetLayers() {
  std::vector<LayerCase> layers = {{"googlenet_conv1.yaml", 118013952, 1},
                                   {"googlenet_conv2_reduce.yaml", 12845056, 1},
                                   {"googlenet_conv2.yaml", 346816512, 1}};
  const std::vector<Inception> modules = {
      {"3a", 28, 192, 64, 96, 128, 16, 32, 32},     {"3b", 28, 256, 128, 128, 192, 32, 96, 64},
      {"4a", 14, 480, 192, 96, 208, 16, 48, 64},    {"4b", 14, 512, 160, 112, 224, 24, 64, 64},
      {"4c", 14, 512, 128, 128, 256, 24, 64, 64},   {"4d", 14, 512, 112, 144, 288, 32, 64, 64},
      {"4e", 14, 528, 256, 160, 320, 32, 128, 128}, {"5a", 7, 832, 256, 160, 320, 32, 128, 128},
      {"5b", 7, 832, 384, 192, 384, 48, 128, 128}};
  for (const Inception& m : modules) {
    const int64_t area = m.hw * m.hw;
    const std::string base = "googlenet_" + m.name + "_";
    layers.push_back({base + "1x1.yaml", area * m.k * m.a, 1});
    layers.push_back({base + "3x3_reduce.yaml", area * m.k * m.b, 1});
    layers.push_back({base + "3x3.yaml", area * 9 * m.b * m.c, 1});
    layers.push_back({base + "5x5_reduce.yaml", area * m.k * m.d, 1});
    layers.push_back({base + "5x5.yaml", area * 25 * m.d * m.e, 1});
    layers.push_back({base + "pool_proj.yaml", area * m.k * m.f, 1});
  }
  layers.push_back({"googlenet_fc.yaml", 1024000, 1});
  return layers;
}

int64_t CheckLayers(const std::vector<LayerCase>& layers) {
  int64_t total = 0;
  for (const LayerCase& layer : layers) {
    SCOPED_TRACE(layer.file);
    spec::Spec spec;
    EXPECT_NO_THROW(spec = spec::LoadSpecFiles({Config("workloads/layers/" + layer.file)}));
    if (!spec.workload) {
      ADD_FAILURE() << "no workload";
      continue;
    }
    EXPECT_EQ(spec.workload->TotalOperations(), layer.macs);
    total += spec.workload->TotalOperations() * layer.repeats;
  }
  return total;
}

TEST(PresetsTest, AlexNetConvLayersHaveTheirMacCounts) {
  EXPECT_EQ(CheckLayers(kAlexNet), 665784864);
}

TEST(PresetsTest, MobileNetV1LayersHaveTheirMacCounts) {
  EXPECT_EQ(CheckLayers(kMobileNet), 568740352);
}

TEST(PresetsTest, AlexNetFcLayersHaveTheirMacCounts) {
  EXPECT_EQ(CheckLayers(kAlexNetFc), 58621952);
  EXPECT_EQ(CheckLayers(kAlexNet) + CheckLayers(kAlexNetFc), 724406816);  // Eyeriss v2: 724.4 M
}

TEST(PresetsTest, GoogLeNetLayersHaveTheirMacCounts) {
  const std::vector<LayerCase> layers = GoogLeNetLayers();
  EXPECT_EQ(layers.size(), 58u);
  EXPECT_EQ(CheckLayers(layers), 1582671872);
}

// ---------------------------------------------------------------- mappings

struct MappingCase {
  std::vector<std::string> files;
  int64_t macs;
};

TEST(PresetsTest, PresetMappingsAnalyzeToEveryMac) {
  const std::vector<MappingCase> cases = {
      {{"arch/eyeriss_v1.yaml", "workloads/layers/alexnet_conv3.yaml",
        "mappings/eyeriss_v1_alexnet_conv3.yaml", "energy/eyeriss_v1_65nm_relative.yaml"},
       149520384},
      {{"arch/eyeriss_v2.yaml", "workloads/layers/mobilenet_v1_dw7_11.yaml",
        "mappings/eyeriss_v2_mobilenet_dw7.yaml", "energy/eyeriss_v2_65nm_relative.yaml"},
       903168},
      // C192 × M64 × P28 × Q28 = 9,633,792
      {{"arch/eyeriss_v2_simd2.yaml", "workloads/layers/googlenet_3a_1x1.yaml",
        "mappings/eyeriss_v2_simd2_googlenet_3a_1x1.yaml", "energy/eyeriss_v2_65nm_relative.yaml"},
       9633792},
  };
  for (const MappingCase& c : cases) {
    SCOPED_TRACE(c.files[2]);
    std::vector<std::string> paths;
    for (const std::string& file : c.files) paths.push_back(Config(file));
    spec::Spec spec;
    ASSERT_NO_THROW(spec = spec::LoadSpecFiles(paths));
    ASSERT_TRUE(spec.architecture && spec.workload && spec.mapping && spec.energy);
    analysis::AnalysisResult result;
    ASSERT_NO_THROW(result =
                        analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping, &*spec.energy));
    EXPECT_EQ(result.arithmetic.computes, c.macs);  // 100 % of the layer's MACs
    EXPECT_EQ(result.arithmetic.computes, spec.workload->TotalOperations());
    EXPECT_GT(result.energy_pj, 0);
  }
}

// ---------------------------------------------------------------- dataflow constraints

const std::vector<std::pair<std::string, std::string>> kConstrainedArchs = {
    {"arch/eyeriss_v1.yaml", "constraints/eyeriss_v1_row_stationary.yaml"},
    {"arch/eyeriss_v1_16x16.yaml", "constraints/eyeriss_v1_row_stationary.yaml"},
    {"arch/eyeriss_v1_32x32.yaml", "constraints/eyeriss_v1_row_stationary.yaml"},
    {"arch/eyeriss_v1_128x128.yaml", "constraints/eyeriss_v1_row_stationary.yaml"},
    {"arch/eyeriss_v2.yaml", "constraints/eyeriss_v2_rs_plus.yaml"},
    {"arch/eyeriss_v2_flat_noc.yaml", "constraints/eyeriss_v2_rs_plus.yaml"},
    {"arch/eyeriss_v2_4x4_clusters.yaml", "constraints/eyeriss_v2_rs_plus.yaml"},
    {"arch/eyeriss_v2_8x8_clusters.yaml", "constraints/eyeriss_v2_rs_plus.yaml"},
    {"arch/eyeriss_v2_32x32_clusters.yaml", "constraints/eyeriss_v2_rs_plus.yaml"},
};

TEST(PresetsTest, ConstraintsLoadWithTheirPresets) {
  for (const auto& [arch, constraints] : kConstrainedArchs) {
    SCOPED_TRACE(arch + " + " + constraints);
    spec::Spec spec;
    ASSERT_NO_THROW(spec = spec::LoadSpecFiles({Config(arch), Config(constraints),
                                                Config("workloads/layers/mobilenet_v1_dw7_11.yaml")}));
    ASSERT_TRUE(spec.architecture);
    EXPECT_FALSE(spec.architecture->constraints.empty());
  }
}

// The best latency mapping of a depth-wise layer under each dataflow, searched on the 168/192-PE presets.
analysis::AnalysisResult BestDepthWise(const std::string& arch, const std::string& constraints) {
  const spec::Spec spec = spec::LoadSpecFiles(
      {Config(arch), Config(constraints), Config("workloads/layers/mobilenet_v1_dw7_11.yaml")});
  mapping::MapperOptions options;
  options.objective = mapping::Objective::kLatency;
  options.evaluations = 3000;
  options.threads = 1;
  const mapping::MapperResult result =
      mapping::SearchMappings(*spec.architecture, *spec.workload, nullptr, options);
  EXPECT_FALSE(result.best.empty());
  return result.best.empty() ? analysis::AnalysisResult{} : result.best.front().result;
}

// dw7 is G = 512 channels of a 3 × 3 filter over 14 × 14 outputs (C = M = 1). Row stationary may spread only
// Q (14) and M (1) across the 14 columns and S (3), C (1), M (1) down the 12 rows, so at most 14 × 3 = 42 of
// 168 PEs work: at least 903,168 / 42 = 21,504 cycles. RS+ also spreads G, so it can do better on 192 PEs.
TEST(PresetsTest, RowStationaryCannotSpreadDepthWiseChannelsButRsPlusCan) {
  const analysis::AnalysisResult v1 =
      BestDepthWise("arch/eyeriss_v1.yaml", "constraints/eyeriss_v1_row_stationary.yaml");
  EXPECT_LE(v1.arithmetic.utilized_instances, 42);
  EXPECT_GE(v1.cycles, 21504);
  const analysis::AnalysisResult v2 =
      BestDepthWise("arch/eyeriss_v2.yaml", "constraints/eyeriss_v2_rs_plus.yaml");
  EXPECT_GT(v2.arithmetic.utilized_instances, 42);
  EXPECT_LT(v2.cycles, v1.cycles);
}

}  // namespace
}  // namespace cyclops
