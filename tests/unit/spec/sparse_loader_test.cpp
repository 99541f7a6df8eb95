// Sparseloop's sparse specs as Cyclops reads them: densities in the problem instance, sparse
// optimizations on components and in the resolved top-level form (the same typed result), and strict
// errors at hand-counted line:column positions.
#include <gtest/gtest.h>

#include <string>

#include "sim/core/error.h"
#include "sim/spec/loader.h"

namespace cyclops::spec {
namespace {

// A dot product (lines numbered for the error positions below).
const std::string kProblem =
    "problem:\n"                                                // 1
    "  shape:\n"                                                // 2
    "    name: dot\n"                                           // 3
    "    dimensions: [K, M]\n"                                  // 4
    "    data_spaces:\n"                                        // 5
    "    - {name: A, projection: [[[K]]]}\n"                    // 6
    "    - {name: B, projection: [[[K]]]}\n"                    // 7
    "    - {name: Z, projection: [[[M]]], read_write: true}\n"  // 8
    "  instance:\n"                                             // 9
    "    K: 16\n"                                               // 10
    "    M: 1\n";                                               // 11

// Backing store and buffer; `buffer_sparse` is inserted as the buffer's sparse_optimizations (line 17 on).
std::string Arch(const std::string& buffer_sparse, const std::string& buffer_attributes = "") {
  return "architecture:\n"                                                                               // 1
         "  version: 0.4\n"                                                                              // 2
         "  nodes:\n"                                                                                    // 3
         "  - !Component\n"                                                                              // 4
         "    name: Backing\n"                                                                           // 5
         "    class: DRAM\n"                                                                             // 6
         "    attributes: {width: 8, datawidth: 8, metadata_storage_width: 8, metadata_datawidth: 4}\n"  // 7
         "  - !Component\n"                                                                              // 8
         "    name: Buffer\n"                                                                            // 9
         "    class: storage\n"                                                                          // 10
         "    subclass: regfile_metadata\n"                                                              // 11
         "    attributes:\n"                                                                             // 12
         "      depth: 64\n"                                                                             // 13
         "      width: 8\n"                                                                              // 14
         "      datawidth: 8\n" +                                                                        // 15
         buffer_attributes +  // 16...
         "    sparse_optimizations:\n" +
         buffer_sparse +
         "  - !Component\n"
         "    name: mac\n"
         "    class: intmac\n";
}

const std::string kAttributes =
    "      metadata_storage_width: 4\n      metadata_datawidth: 4\n";  // lines 16-17

// With kAttributes: sparse_optimizations at line 18, its body from line 19.
const std::string kBufferSparse =
    "      representation_format:\n"                       // 19
    "        data_spaces:\n"                               // 20
    "        - name: A\n"                                  // 21
    "          ranks: [{format: UOP}, {format: CP}]\n"     // 22
    "      action_optimization:\n"                         // 23
    "      - type: skipping\n"                             // 24
    "        options: [{target: B, condition_on: [A]}]\n"  // 25
    "      - type: gating\n"                               // 26
    "        target: Z\n"                                  // 27
    "        condition_on: [A]\n";                         // 28

SpecError ErrorOf(const std::vector<SpecDocument>& documents) {
  try {
    LoadSpecDocuments(documents);
  } catch (const SpecError& error) {
    return error;
  }
  ADD_FAILURE() << "no error";
  return SpecError({}, "");
}

void ExpectErrorAt(const std::vector<SpecDocument>& documents, const std::string& position,
                   const std::string& key_path, const std::string& problem_word) {
  const SpecError error = ErrorOf(documents);
  EXPECT_EQ(std::string(error.what()).rfind(position + ": error", 0), 0u) << error.what();
  EXPECT_EQ(error.where().key_path, key_path) << error.what();
  EXPECT_NE(error.problem().find(problem_word), std::string::npos) << error.what();
}

std::string Densities(const std::string& densities) {
  return kProblem + "    densities: " + densities + "\n";
}

TEST(SparseSpec, DensitiesPerDataSpace) {
  const Spec spec = LoadSpecDocuments(
      {{"p.yaml",
        Densities("{A: 0.25, B: {distribution: hypergeometric, density: 0.5}, Z: {distribution: fixed, "
                  "density: 1.0}}")}});
  ASSERT_EQ(spec.workload->densities.size(), 3u);
  EXPECT_EQ(spec.workload->densities[0].distribution, "fixed_structured");  // a bare number
  EXPECT_DOUBLE_EQ(spec.workload->densities[0].density, 0.25);
  EXPECT_EQ(spec.workload->densities[1].distribution, "hypergeometric");
  EXPECT_EQ(spec.workload->densities[2].distribution, "fixed_structured");  // "fixed" is its alias
  EXPECT_TRUE(spec.workload->densities[2].IsDense());
  EXPECT_TRUE(spec.workload->HasSparseDensities());
  EXPECT_FALSE(spec.sparse.has_value());  // densities alone are not optimizations
}

TEST(SparseSpec, CommonDensityForEveryDataSpace) {
  const Spec spec = LoadSpecDocuments({{"p.yaml", kProblem + "    commonDensity: 0.5\n"}});
  for (const DensitySpec& density : spec.workload->densities) EXPECT_DOUBLE_EQ(density.density, 0.5);
}

TEST(SparseSpec, ComponentAndTopLevelFormsAgree) {
  const Spec written =
      LoadSpecDocuments({{"a.yaml", Arch(kBufferSparse, kAttributes)}, {"p.yaml", kProblem}});
  // The resolved form the front end dumps: the same optimizations under the top-level key.
  const std::string top_level =
      "sparse_optimizations:\n"
      "  targets:\n"
      "  - name: Buffer\n"
      "    representation_format: {data_spaces: [{name: A, ranks: [{format: uop}, {format: cp}]}]}\n"
      "    action_optimization:\n"
      "    - {type: skipping, options: [{target: B, condition_on: [A]}]}\n"
      "    - {type: gating, options: [{target: Z, condition_on: [A]}]}\n";
  std::string bare = Arch("", kAttributes);
  bare.erase(bare.find("    sparse_optimizations:\n"), std::string("    sparse_optimizations:\n").size());
  const Spec resolved = LoadSpecDocuments({{"a.yaml", bare}, {"p.yaml", kProblem}, {"s.yaml", top_level}});
  for (const Spec* spec : {&written, &resolved}) {
    ASSERT_TRUE(spec->sparse);
    ASSERT_EQ(spec->sparse->levels.size(), 1u);
    const StorageSparseSpec& buffer = spec->sparse->levels[0];
    EXPECT_EQ(buffer.level, 0);  // innermost storage level
    ASSERT_EQ(buffer.formats.size(), 1u);
    const DataSpaceFormatSpec& format = buffer.formats[0];
    EXPECT_EQ(format.data_space, 0);
    ASSERT_EQ(format.ranks.size(), 2u);
    EXPECT_EQ(format.ranks[0].format, "cp");  // rank 0 is the innermost: the last one written
    EXPECT_TRUE(format.ranks[0].compressed);
    EXPECT_EQ(format.ranks[1].format, "uop");
    EXPECT_FALSE(format.ranks[1].compressed);
    EXPECT_EQ(format.ranks[0].metadata_word_bits, 4);  // the level's metadata_datawidth
    ASSERT_EQ(buffer.skipping.size(), 1u);
    EXPECT_EQ(buffer.skipping[0].options[0].target, 1);
    EXPECT_EQ(buffer.skipping[0].options[0].condition_on, std::vector<int>{0});
    ASSERT_EQ(buffer.gating.size(), 1u);
    EXPECT_EQ(buffer.gating[0].options[0].target, 2);
    EXPECT_EQ(spec->sparse->attributes[0].metadata_storage_width, 4);
    EXPECT_EQ(spec->sparse->attributes[1].metadata_storage_width, 8);
    EXPECT_NE(spec->sparse->Format(0, 0), nullptr);
    EXPECT_EQ(spec->sparse->Format(0, 1), nullptr);
  }
}

TEST(SparseSpec, WordBitsAreWidenedToDivideTheMetadataStorage) {
  // 3-bit coordinates in a 4-bit wide metadata storage: Sparseloop widens them to 4, and says so.
  const std::string sparse =
      "      representation_format:\n        data_spaces:\n        - name: A\n"
      "          ranks: [{format: CP, metadata_word_bits: 3}]\n";
  const Spec spec = LoadSpecDocuments({{"a.yaml", Arch(sparse, kAttributes)}, {"p.yaml", kProblem}});
  EXPECT_EQ(spec.sparse->levels[0].formats[0].ranks[0].metadata_word_bits, 4);
  bool noted = false;
  for (const std::string& note : spec.notes) noted |= note.find("widened from 3 to 4") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(SparseSpecError, DensityOutOfRange) {
  ExpectErrorAt({{"p.yaml", Densities("{A: -0.1}")}}, "p.yaml:12:20", "problem.instance.densities.A",
                "between 0 and 1");
}

TEST(SparseSpecError, UnknownDistribution) {
  ExpectErrorAt({{"p.yaml", Densities("{A: {distribution: gaussian, density: 0.5}}")}}, "p.yaml:12:35",
                "problem.instance.densities.A.distribution", "gaussian");
}

TEST(SparseSpecError, BandedNeedsASquareMatrix) {
  ExpectErrorAt({{"p.yaml", Densities("{A: {distribution: banded, band_width: 1}}")}}, "p.yaml:12:35",
                "problem.instance.densities.A.distribution", "square");
}

TEST(SparseSpecError, HypergeometricTensorSizeIsTheDataSpaces) {
  // A has 16 values; Sparseloop sizes the distribution by the data space, so 20 would be silently wrong.
  ExpectErrorAt(
      {{"p.yaml", Densities("{A: {distribution: hypergeometric, density: 0.5, workload_tensor_size: 20}}")}},
      "p.yaml:12:87", "problem.instance.densities.A.workload_tensor_size", "not the size of A (16)");
  EXPECT_NO_THROW(LoadSpecDocuments(
      {{"p.yaml",
        Densities("{A: {distribution: hypergeometric, density: 0.5, workload_tensor_size: 16}}")}}));
}

TEST(SparseSpecError, DensitiesAndCommonDensity) {
  ExpectErrorAt({{"p.yaml", Densities("{A: 0.5}") + "    commonDensity: 0.5\n"}}, "p.yaml:13:20",
                "problem.instance.commonDensity", "not both");
}

TEST(SparseSpecError, UnknownRankFormat) {
  const std::string sparse =
      "      representation_format:\n        data_spaces:\n        - name: A\n"
      "          ranks: [{format: CSR}]\n";
  ExpectErrorAt(
      {{"a.yaml", Arch(sparse, kAttributes)}, {"p.yaml", kProblem}}, "a.yaml:22:28",
      "architecture.nodes[1].sparse_optimizations.representation_format.data_spaces[0].ranks[0].format",
      "CSR");
}

TEST(SparseSpecError, CompressedRankAboveUncompressed) {
  const std::string sparse =
      "      representation_format:\n        data_spaces:\n        - name: A\n"
      "          ranks: [{format: CP}, {format: UOP}]\n";
  ExpectErrorAt({{"a.yaml", Arch(sparse, kAttributes)}, {"p.yaml", kProblem}}, "a.yaml:22:19",
                "architecture.nodes[1].sparse_optimizations.representation_format.data_spaces[0].ranks[0]",
                "above an uncompressed rank");
}

TEST(SparseSpecError, MetadataWiderThanItsStorage) {
  const std::string sparse =
      "      representation_format:\n        data_spaces:\n        - name: A\n"
      "          ranks: [{format: CP, metadata_word_bits: 8}]\n";
  ExpectErrorAt({{"a.yaml", Arch(sparse, kAttributes)}, {"p.yaml", kProblem}}, "a.yaml:22:52",
                "architecture.nodes[1].sparse_optimizations.representation_format.data_spaces[0].ranks[0]."
                "metadata_word_bits",
                "8 (widened to 16) exceed the metadata storage width 4");
}

TEST(SparseSpecError, ConditionOnUnknownDataSpace) {
  const std::string sparse =
      "      action_optimization:\n      - type: gating\n        target: B\n"
      "        condition_on: [C]\n";
  ExpectErrorAt({{"a.yaml", Arch(sparse, kAttributes)}, {"p.yaml", kProblem}}, "a.yaml:22:24",
                "architecture.nodes[1].sparse_optimizations.action_optimization[0].condition_on[0]",
                "unknown data space 'C'");
}

TEST(SparseSpecError, SpatialSkippingIsNotModelled) {
  const std::string sparse =
      "      action_optimization:\n      - type: skipping_spatial\n        target: B\n"
      "        condition_on: [A]\n";
  ExpectErrorAt({{"a.yaml", Arch(sparse, kAttributes)}, {"p.yaml", kProblem}}, "a.yaml:20:15",
                "architecture.nodes[1].sparse_optimizations.action_optimization[0].type", "spatial skipping");
}

TEST(SparseSpecError, ComputeOptimizationOnAStorageLevel) {
  const std::string sparse = "      compute_optimization: [{type: gating}]\n";
  ExpectErrorAt({{"a.yaml", Arch(sparse, kAttributes)}, {"p.yaml", kProblem}}, "a.yaml:19:29",
                "architecture.nodes[1].sparse_optimizations.compute_optimization", "arithmetic unit 'mac'");
}

TEST(SparseSpecError, LevelGivenTwice) {
  const std::string top_level =
      "sparse_optimizations:\n  targets:\n  - name: Buffer\n"
      "    action_optimization: [{type: gating, target: B, condition_on: [A]}]\n";
  ExpectErrorAt({{"a.yaml", Arch(kBufferSparse, kAttributes)}, {"p.yaml", kProblem}, {"s.yaml", top_level}},
                "s.yaml:3:5", "sparse_optimizations.targets[0]", "also given at a.yaml:19:7");
}

TEST(SparseSpecError, UnknownTarget) {
  const std::string top_level = "sparse_optimizations:\n  targets:\n  - name: GLB\n";
  ExpectErrorAt({{"a.yaml", Arch(kBufferSparse, kAttributes)}, {"p.yaml", kProblem}, {"s.yaml", top_level}},
                "s.yaml:3:11", "sparse_optimizations.targets[0].name", "'GLB'");
}

}  // namespace
}  // namespace cyclops::spec
