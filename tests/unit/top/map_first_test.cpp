// top::MapFirst on a sparse spec whose problem declares no densities (a network layer: its zeros are not
// known before it runs) chooses a mapping whose compressed tiles fit with their metadata at density 1,
// where they are largest. MobileNet 0.5/128's conv1 (C3 -> M16, 3 x 3, stride 2, 64 x 64) on
// configs/arch/eyeriss_v2_sparse.yaml, which keeps a 4-bit run per nonzero (CSC) beside the data in each
// level: the dense model alone chose an iact_glb tile whose runs and offsets need 14,284 bits of the
// 12,288 the GLB's metadata storage holds (1,536 rows x 8 b), and the run that followed refused it.
#include "sim/top/map_first.h"

#include <gtest/gtest.h>

#include "sim/analysis/analysis.h"
#include "sim/spec/loader.h"
#include "sim/top/simulatable.h"
#include "tests/support/paths.h"

namespace cyclops::top {
namespace {

constexpr const char* kConv1 = R"(problem:
  version: 0.4
  shape:
    name: GroupedConv
    dimensions: [G, C, M, R, S, N, P, Q]
    coefficients:
    - {name: Wstride, default: 1}
    - {name: Hstride, default: 1}
    data_spaces:
    - name: Weights
      projection: [[[G]], [[C]], [[M]], [[R]], [[S]]]
    - name: Inputs
      projection: [[[N]], [[G]], [[C]], [[R], [P, Wstride]], [[S], [Q, Hstride]]]
    - name: Outputs
      projection: [[[N]], [[G]], [[M]], [[Q]], [[P]]]
      read_write: true
  instance: {G: 1, C: 3, M: 16, R: 3, S: 3, N: 1, P: 64, Q: 64, Wstride: 2, Hstride: 2}
)";

TEST(MapFirst, ASparseSpecIsMappedWithItsMetadata) {
  const std::string configs = test::SourceDir() + "/configs/";
  std::vector<spec::SpecDocument> documents;
  for (const char* file : {"arch/eyeriss_v2_sparse.yaml", "energy/eyeriss_v2_65nm_relative.yaml"})
    documents.push_back({configs + file, test::ReadFile(configs + file)});
  documents.push_back({"conv1", kConv1});
  const spec::Spec spec = spec::LoadSpecDocuments(documents);
  ASSERT_TRUE(spec.sparse.has_value());
  MapFirstOptions options;
  options.threads = 1;
  const MapFirstResult found = MapFirst(spec, options);

  // The sparse analysis checks the compressed tiles and their metadata against every level's storage.
  analysis::AnalysisResult result;
  ASSERT_NO_THROW(result = analysis::Analyze(*spec.architecture, *spec.workload, found.mapping, &*spec.energy,
                                             &*spec.sparse));
  const int glb = spec.architecture->StorageIndex("iact_glb");
  const int inputs = spec.workload->DataSpaceIndex("Inputs");
  const analysis::DataSpaceAccesses& tile = result.storage[glb].data_spaces[inputs];
  if (tile.kept) {
    ASSERT_TRUE(tile.sparse.has_value());
    // At density 1 every value held carries its 4-bit run: at least 4 bits per value, within 1,536 x 8.
    EXPECT_GE(tile.sparse->max_metadata_bits, 4 * tile.utilized_capacity);
    EXPECT_LE(tile.sparse->max_metadata_bits, 1536 * 8);
  }
}

// Without the preset's constraint that only output channels M split over the SIMD pair, the mapper may put
// an output column P there (two iacts sharing one weight read). The sparse preset skips weight reads on zero
// iacts, which the simulator refuses for such a shared read (SparseEyerissV2.
// ASharedWeightReadSkippedOnSeveralIactsIsRefused): MapFirst must choose a mapping the run accepts, for a
// layer with declared densities (mapped by the sparse model) as for one without (a network layer).
TEST(MapFirst, ASparseSpecGetsNoSharedReadTheRunRefuses) {
  const std::string configs = test::SourceDir() + "/configs/";
  std::string arch = test::ReadFile(configs + "arch/eyeriss_v2_sparse.yaml");
  const std::string constraint = "      spatial: {factors: G=1 C=1 R=1 S=1 N=1 P=1 Q=1}";
  const size_t at = arch.find(constraint);
  ASSERT_NE(at, std::string::npos);
  arch.replace(at, constraint.size(), "      spatial: {factors: C=1 R=1 S=1 N=1}");
  const std::string conv1 = kConv1;
  const std::string shape = conv1.substr(0, conv1.find("  instance:"));
  const std::string densities =
      "\n    densities:\n      Inputs: {distribution: fixed_structured, density: 0.5}\n"
      "      Weights: {distribution: fixed_structured, density: 0.5}\n";
  // MobileNet 0.5/128's pw3 without densities, dw4 (no M to split) and pw4 with them.
  for (const std::string& instance :
       {std::string("  instance:\n    {G: 1, C: 64, M: 64, R: 1, S: 1, N: 1, P: 32, Q: 32}\n"),
        "  instance:\n    G: 64\n    C: 1\n    M: 1\n    R: 3\n    S: 3\n    N: 1\n    P: 16\n    Q: 16\n"
        "    Wstride: 2\n    Hstride: 2" +
            densities,
        "  instance:\n    G: 1\n    C: 64\n    M: 128\n    R: 1\n    S: 1\n    N: 1\n    P: 16\n    Q: 16" +
            densities}) {
    std::vector<spec::SpecDocument> documents{{"eyeriss_v2_sparse_simd_free.yaml", arch}};
    documents.push_back({configs + "energy/eyeriss_v2_65nm_relative.yaml",
                         test::ReadFile(configs + "energy/eyeriss_v2_65nm_relative.yaml")});
    documents.push_back({"layer.yaml", shape + instance});
    const spec::Spec spec = spec::LoadSpecDocuments(documents);
    ASSERT_TRUE(spec.sparse.has_value());
    MapFirstOptions options;
    options.threads = 1;
    const MapFirstResult found = MapFirst(spec, options);
    const analysis::AnalysisResult analysis =
        analysis::Analyze(*spec.architecture, *spec.workload, found.mapping, nullptr, &*spec.sparse);
    const std::optional<std::string> refused =
        Refusal(*spec.architecture, *spec.workload, found.mapping, analysis, true, &*spec.sparse);
    EXPECT_EQ(refused, std::nullopt) << instance << *refused << "\n" << found.yaml;
  }
}

}  // namespace
}  // namespace cyclops::top
