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
    EXPECT_EQ(Refusal(*spec.architecture, *spec.workload, *spec.mapping, analysis, true, false), std::nullopt)
        << file;
    const std::optional<std::string> sparse =
        Refusal(*spec.architecture, *spec.workload, *spec.mapping, analysis, true, true);
    if (file == imperfect) {
      ASSERT_TRUE(sparse.has_value());
      EXPECT_NE(sparse->find("Q=5,4"), std::string::npos) << *sparse;
    } else {
      EXPECT_EQ(sparse, std::nullopt) << *sparse;
    }
  }
}

}  // namespace
}  // namespace cyclops::top
