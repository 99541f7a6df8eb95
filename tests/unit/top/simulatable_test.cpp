// top::Refusal is the one answer to "can the cycle-level simulator run this mapping?" that
// `cyclops map --sim-rerank` asks of each candidate. Sparseloop's 03.2.1 conv1d (S 3, Q 9) with its own
// mapping is simulatable; the same mapping with Q split imperfectly (Q=5,4 in the Buffer under Q2 at the
// backing store: 5 + 4 = 9) is simulatable dense, and refused when the layer has sparse optimizations —
// the engine clips imperfect tiles on dense data only.
#include "sim/top/simulatable.h"

#include <gtest/gtest.h>

#include <fstream>

#include "sim/analysis/analysis.h"
#include "sim/spec/loader.h"
#include "tests/support/paths.h"
#include "tests/support/sparse_fixtures.h"

namespace cyclops::top {
namespace {

TEST(Refusal, ImperfectFactorsAreRefusedOnlyWithSparseOptimizations) {
  const std::string dir = test::ReferenceDir() + "/sparseloop/03.2.1-conv1d/ref_outputs/default_problem/";
  std::string mapping = test::ReadFile(dir + "timeloop-mapper.map.yaml");
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"factors: S3 Q9", "factors: S3 Q=5,4"},
                                 {"factors: S1 Q1", "factors: S1 Q2"}}) {
    const size_t at = mapping.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    mapping.replace(at, from.size(), to);
  }
  const std::string imperfect = test::TempDir("refusal_imperfect") + ".yaml";
  std::ofstream(imperfect) << mapping;
  for (const std::string& file : {dir + "timeloop-mapper.map.yaml", imperfect}) {
    const spec::Spec spec = spec::LoadSpecFiles({dir + "parsed-processed-input.yaml", file});
    ASSERT_TRUE(spec.sparse.has_value());
    // The dense analysis: the sparse one refuses imperfect factors itself.
    const analysis::AnalysisResult analysis =
        analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping, nullptr);
    EXPECT_EQ(Refusal(*spec.architecture, *spec.workload, *spec.mapping, analysis, true, nullptr),
              std::nullopt)
        << file;
    const std::optional<std::string> sparse =
        Refusal(*spec.architecture, *spec.workload, *spec.mapping, analysis, true, &*spec.sparse);
    if (file == imperfect) {
      ASSERT_TRUE(sparse.has_value());
      EXPECT_NE(sparse->find("Q=5,4"), std::string::npos) << *sparse;
    } else {
      EXPECT_EQ(sparse, std::nullopt) << *sparse;
    }
  }
}

// The SIMD pair of configs/arch/eyeriss_v2_sparse.yaml over two output columns P (the preset constrains it
// to output channels M): the pair shares one weight read while each MAC multiplies its own iact, and the
// preset skips weight reads on zero iacts. Refused with the sparse optimizations, the reason naming the
// shared read; the same mapping dense, and the preset's own mapping (M over the pair), are simulatable.
TEST(Refusal, ASkippedReadSharedByMacsOnDifferentValuesIsRefused) {
  const std::string configs = test::SourceDir() + "/configs/";
  const std::string given = configs + "mappings/eyeriss_v2_sparse_mobilenet_0.5_128_pw4.yaml";
  const std::string over_p = test::TempDir("refusal_simd_over_p") + ".yaml";
  std::ofstream(over_p) << test::SparsePw4MappingWithSimdOverP();
  for (const std::string& file : {given, over_p}) {
    const spec::Spec spec =
        spec::LoadSpecFiles({configs + "arch/eyeriss_v2_sparse.yaml",
                             configs + "workloads/layers/mobilenet_v1_0.5_128_pw4_sparse.yaml", file});
    ASSERT_TRUE(spec.sparse.has_value());
    const analysis::AnalysisResult analysis =
        analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping, nullptr, &*spec.sparse);
    EXPECT_EQ(Refusal(*spec.architecture, *spec.workload, *spec.mapping, analysis, true, nullptr),
              std::nullopt);
    const std::optional<std::string> sparse =
        Refusal(*spec.architecture, *spec.workload, *spec.mapping, analysis, true, &*spec.sparse);
    SimulatableCheck check(*spec.architecture, *spec.workload, true, {}, &*spec.sparse);
    if (file == over_p) {
      ASSERT_TRUE(sparse.has_value());
      EXPECT_NE(sparse->find("several MACs share one Weights read at 'weight_spad'"), std::string::npos)
          << *sparse;
      EXPECT_FALSE(check(*spec.mapping, analysis));
    } else {
      EXPECT_EQ(sparse, std::nullopt) << *sparse;
      EXPECT_TRUE(check(*spec.mapping, analysis));
    }
  }
}

}  // namespace
}  // namespace cyclops::top
