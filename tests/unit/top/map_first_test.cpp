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

}  // namespace
}  // namespace cyclops::top
