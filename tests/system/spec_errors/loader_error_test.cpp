// Malformed specs: each must fail with one SpecError naming file:line:column, the key path and what
// would be valid — in the library, and from the command line as one message with exit status 2.
// Positions are 1-based and were counted by hand in the small documents below; a tagged node
// (e.g. `- !Component`) is located at its tag.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/spec/loader.h"
#include "tests/support/paths.h"

namespace cyclops::spec {
namespace {

// Lines are numbered in the comments so expected positions can be checked by eye.
const std::string kArch =
    "architecture:\n"                                        // 1
    "  version: 0.4\n"                                       // 2
    "  nodes:\n"                                             // 3
    "  - !Container\n"                                       // 4
    "    name: system\n"                                     // 5
    "    attributes: {technology: 45nm}\n"                   // 6
    "  - !Component\n"                                       // 7
    "    name: DRAM\n"                                       // 8
    "    class: DRAM\n"                                      // 9
    "    attributes: {width: 64, datawidth: 8}\n"            // 10
    "  - !Container\n"                                       // 11
    "    name: PE\n"                                         // 12
    "    spatial: {meshX: 4}\n"                              // 13
    "  - !Component\n"                                       // 14
    "    name: buffer\n"                                     // 15
    "    class: regfile\n"                                   // 16
    "    attributes: {depth: 64, width: 8, datawidth: 8}\n"  // 17
    "  - !Component\n"                                       // 18
    "    name: mac\n"                                        // 19
    "    class: intmac\n"                                    // 20
    "    attributes: {width: 8}\n";                          // 21

const std::string kProblem =
    "problem:\n"                          // 1
    "  version: 0.4\n"                    // 2
    "  shape:\n"                          // 3
    "    name: conv1d\n"                  // 4
    "    dimensions: [K, R, P]\n"         // 5
    "    data_spaces:\n"                  // 6
    "    - name: Weights\n"               // 7
    "      projection: [[[K]], [[R]]]\n"  // 8
    "    - name: Inputs\n"                // 9
    "      projection: [[[R], [P]]]\n"    // 10
    "    - name: Outputs\n"               // 11
    "      projection: [[[K]], [[P]]]\n"  // 12
    "      read_write: true\n"            // 13
    "  instance: {K: 8, R: 3, P: 16}\n";  // 14

const std::string kMapping =
    "mapping:\n"                 // 1
    "- target: DRAM\n"           // 2
    "  type: temporal\n"         // 3
    "  factors: K=2 R=1 P=16\n"  // 4
    "  permutation: PRK\n"       // 5
    "- target: PE\n"             // 6
    "  type: spatial\n"          // 7
    "  factors: K=4\n"           // 8
    "- target: buffer\n"         // 9
    "  type: temporal\n"         // 10
    "  factors: R=3\n";          // 11

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::vector<SpecDocument> Documents(const std::string& arch, const std::string& problem,
                                    const std::string& mapping) {
  return {{"arch.yaml", arch}, {"prob.yaml", problem}, {"map.yaml", mapping}};
}

// The same documents as files, given to `cyclops analyze`: exit status 2 and one error line at the position.
void ExpectCommandLineError(const std::vector<SpecDocument>& documents, const std::string& position,
                            const std::string& key_path) {
  const std::string dir = test::TempDir("spec_error");
  std::filesystem::create_directories(dir);
  std::string files;
  for (const SpecDocument& document : documents) {
    std::ofstream(dir + "/" + document.name) << document.text;
    files += " " + dir + "/" + document.name;
  }
  std::string output;
  EXPECT_EQ(test::RunCommand(test::CyclopsBinary() + " analyze" + files, &output), 2) << output;
  EXPECT_EQ(output.rfind(dir + "/" + position + ": error", 0), 0u) << output;
  if (!key_path.empty()) EXPECT_NE(output.find("'" + key_path + "'"), std::string::npos) << output;
  EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << "one line: " << output;
}

// Fails the test unless loading throws a SpecError at `position` ("file:line:col"), at `key_path`, whose
// "valid" part mentions `valid_word`, and the command line reports it with exit status 2.
void ExpectSpecError(const std::vector<SpecDocument>& documents, const std::string& position,
                     const std::string& key_path, const std::string& valid_word) {
  ExpectCommandLineError(documents, position, key_path);
  try {
    LoadSpecDocuments(documents);
    ADD_FAILURE() << "no error; expected one at " << position;
  } catch (const SpecError& error) {
    std::string message = error.what();
    EXPECT_EQ(message.rfind(position + ": error", 0), 0u) << message;
    EXPECT_EQ(error.where().key_path, key_path) << message;
    EXPECT_NE(error.valid().find(valid_word), std::string::npos) << message;
  } catch (const std::exception& other) {
    ADD_FAILURE() << "not a SpecError: " << other.what();
  }
}

void ExpectMappingError(const std::string& mapping, const std::string& position, const std::string& key_path,
                        const std::string& valid_word) {
  ExpectSpecError(Documents(kArch, kProblem, mapping), position, key_path, valid_word);
}

TEST(SpecBase, WellFormedDocumentsLoad) {
  Spec spec = LoadSpecDocuments(Documents(kArch, kProblem, kMapping));
  ASSERT_TRUE(spec.mapping);
  EXPECT_EQ(spec.architecture->storage.size(), 3u);  // buffer, inter_PE_spatial, DRAM
  EXPECT_EQ(spec.architecture->storage[1].name, "inter_PE_spatial");
  EXPECT_EQ(spec.architecture->storage[0].instances, 4);
  EXPECT_EQ(spec.mapping->levels[1].spatial_factors[0], 4);
  // Unlisted dimensions follow the listed ones: buffer has no permutation → K, R, P.
  EXPECT_EQ(spec.mapping->levels[0].temporal_permutation, (std::vector<int>{0, 1, 2}));
  // DRAM "PRK" = P innermost.
  EXPECT_EQ(spec.mapping->levels[2].temporal_permutation, (std::vector<int>{2, 1, 0}));
  EXPECT_EQ(spec.mapping->levels[2].temporal_where.line, 2);
  // Default keep: everything at real levels, nothing at the fan-out point.
  EXPECT_EQ(spec.mapping->levels[0].keep, (std::vector<bool>{true, true, true}));
  EXPECT_EQ(spec.mapping->levels[1].keep, (std::vector<bool>{false, false, false}));
  EXPECT_EQ(spec.cyclops.psum_bits, 32);
}

// ---------------------------------------------------------------- unknown keys, one per level

TEST(SpecUnknownKey, TopLevel) {
  ExpectSpecError({{"x.yaml", "problem_x: 1\n"}}, "x.yaml:1:1", "problem_x", "mapping");
}

TEST(SpecUnknownKey, ArchitectureItself) {
  ExpectSpecError({{"a.yaml", "architecture:\n  version: 0.4\n  nodez: []\n"}}, "a.yaml:3:3",
                  "architecture.nodez", "nodes");
}

TEST(SpecUnknownKey, ArchitectureNode) {
  ExpectSpecError(Documents(Replace(kArch, "    class: regfile\n", "    colour: red\n"), kProblem, kMapping),
                  "arch.yaml:16:5", "architecture.nodes[3].colour", "attributes");
}

TEST(SpecUnknownKey, ContainerStructure) {
  ExpectSpecError(Documents(Replace(kArch, "    attributes: {technology", "    attribute: {technology"),
                            kProblem, kMapping),
                  "arch.yaml:6:5", "architecture.nodes[0].attribute", "spatial");
}

TEST(SpecUnknownKey, SpatialFanOut) {
  ExpectSpecError(Documents(Replace(kArch, "spatial: {meshX: 4}", "spatial: {meshZ: 4}"), kProblem, kMapping),
                  "arch.yaml:13:15", "architecture.nodes[2].spatial.meshZ", "meshY");
}

TEST(SpecUnknownKey, Problem) {
  ExpectSpecError(Documents(kArch, Replace(kProblem, "  version: 0.4\n", "  versio: 0.4\n"), kMapping),
                  "prob.yaml:2:3", "problem.versio", "instance");
}

TEST(SpecUnknownKey, Shape) {
  ExpectSpecError(Documents(kArch, Replace(kProblem, "    name: conv1d\n", "    nam: conv1d\n"), kMapping),
                  "prob.yaml:4:5", "problem.shape.nam", "dimensions");
}

TEST(SpecUnknownKey, DataSpace) {
  ExpectSpecError(
      Documents(kArch, Replace(kProblem, "      read_write: true\n", "      readwrite: true\n"), kMapping),
      "prob.yaml:13:7", "problem.shape.data_spaces[2].readwrite", "read_write");
}

TEST(SpecUnknownKey, MappingDirective) {
  ExpectMappingError(Replace(kMapping, "  permutation: PRK\n", "  order: PRK\n"), "map.yaml:5:3",
                     "mapping[0].order", "permutation");
}

TEST(SpecUnknownKey, KeyNotAllowedForDirectiveType) {
  ExpectMappingError(Replace(kMapping, "  permutation: PRK\n", "  split: 1\n"), "map.yaml:5:3",
                     "mapping[0].split", "factors");
}

TEST(SpecUnknownKey, EnergyTable) {
  ExpectSpecError({{"e.yaml", "ERT:\n  version: 0.4\n  tables:\n  - name: a.DRAM[1..1]\n    action: []\n"}},
                  "e.yaml:5:5", "ERT.tables[0].action", "actions");
}

TEST(SpecUnknownKey, EnergyAction) {
  ExpectSpecError(
      {{"e.yaml",
        "ERT:\n  tables:\n  - name: DRAM\n    actions:\n    - {name: read, energy: 2.0, joules: 1}\n"}},
      "e.yaml:5:33", "ERT.tables[0].actions[0].joules", "energy");
}

TEST(SpecUnknownKey, CyclopsSettings) {
  ExpectSpecError({{"c.yaml", "cyclops:\n  seed: 3\n  clock: 1e9\n"}}, "c.yaml:3:3", "cyclops.clock",
                  "clock_hz");
}

TEST(SpecUnknownKey, InstanceDensityForUnknownDataSpace) {
  ExpectSpecError(Documents(kArch, Replace(kProblem, "P: 16}", "P: 16, densities: {Psums: 1.0}}"), kMapping),
                  "prob.yaml:14:45", "problem.instance.densities.Psums", "Weights");
}

// ---------------------------------------------------------------- wrong types and values

TEST(SpecType, DepthIsNotAnInteger) {
  ExpectSpecError(Documents(Replace(kArch, "depth: 64", "depth: big"), kProblem, kMapping), "arch.yaml:17:25",
                  "architecture.nodes[3].attributes.depth", "integer");
}

TEST(SpecType, NegativeDepth) {
  ExpectSpecError(Documents(Replace(kArch, "depth: 64", "depth: -4"), kProblem, kMapping), "arch.yaml:17:25",
                  "architecture.nodes[3].attributes.depth", ">= 1");
}

TEST(SpecType, WidthNotAMultipleOfDatawidth) {
  ExpectSpecError(
      Documents(Replace(kArch, "depth: 64, width: 8,", "depth: 64, width: 12,"), kProblem, kMapping),
      "arch.yaml:17:36", "architecture.nodes[3].attributes.width", "multiple");
}

TEST(SpecType, FactorsAsMap) {
  ExpectMappingError(Replace(kMapping, "  factors: R=3\n", "  factors: {R: 3}\n"), "map.yaml:11:12",
                     "mapping[2].factors", "R=3");
}

TEST(SpecType, PermutationAsMap) {
  ExpectMappingError(Replace(kMapping, "  permutation: PRK\n", "  permutation: {P: 0}\n"), "map.yaml:5:16",
                     "mapping[0].permutation", "MPCQ");
}

TEST(SpecType, ReadWriteNotABool) {
  ExpectSpecError(Documents(kArch, Replace(kProblem, "read_write: true", "read_write: maybe"), kMapping),
                  "prob.yaml:13:19", "problem.shape.data_spaces[2].read_write", "true");
}

TEST(SpecType, ErtEnergyNotANumber) {
  ExpectSpecError(
      {{"e.yaml", "ERT:\n  tables:\n  - name: DRAM\n    actions:\n    - {name: read, energy: lots}\n"}},
      "e.yaml:5:28", "ERT.tables[0].actions[0].energy", "number");
}

TEST(SpecType, PsumBitsOutOfRange) {
  ExpectSpecError({{"c.yaml", "cyclops:\n  psum_bits: 0\n"}}, "c.yaml:2:14", "cyclops.psum_bits", ">= 1");
}

TEST(SpecType, ArchitectureVersion) {
  ExpectSpecError(Documents(Replace(kArch, "version: 0.4", "version: 0.9"), kProblem, kMapping),
                  "arch.yaml:2:12", "architecture.version", "0.4");
}

// ---------------------------------------------------------------- syntax, files, merging

TEST(SpecSyntax, BadYaml) {
  ExpectSpecError({{"bad.yaml", "mapping:\n  - target: [DRAM\n"}}, "bad.yaml:3:1", "", "YAML");
}

TEST(SpecSyntax, MissingFile) {
  try {
    LoadSpecFiles({"/nonexistent/arch.yaml"});
    ADD_FAILURE() << "no error";
  } catch (const SpecError& error) {
    EXPECT_EQ(std::string(error.what()).rfind("/nonexistent/arch.yaml: error", 0), 0u) << error.what();
    EXPECT_NE(error.valid().find("readable"), std::string::npos);
  }
}

TEST(SpecSyntax, DuplicateKeyInOneMap) {
  ExpectSpecError({{"c.yaml", "cyclops:\n  seed: 3\n  seed: 4\n"}}, "c.yaml:3:3", "cyclops", "once");
}

TEST(SpecMerge, TopLevelKeyInTwoFiles) {
  ExpectSpecError({{"a.yaml", kProblem}, {"b.yaml", kProblem}}, "b.yaml:1:1", "problem", "one file");
}

TEST(SpecMerge, EmptyMappingIsOverriddenInEitherOrder) {
  EXPECT_TRUE(LoadSpecDocuments(
                  {{"arch.yaml", kArch + "mapping: []\n"}, {"prob.yaml", kProblem}, {"map.yaml", kMapping}})
                  .mapping.has_value());
  EXPECT_TRUE(LoadSpecDocuments(
                  {{"map.yaml", kMapping}, {"arch.yaml", kArch + "mapping: []\n"}, {"prob.yaml", kProblem}})
                  .mapping.has_value());
  EXPECT_FALSE(LoadSpecDocuments({{"arch.yaml", kArch + "mapping: []\n"}, {"prob.yaml", kProblem}})
                   .mapping.has_value());
}

TEST(SpecMerge, UnusedTimeloopKeysAreNoted) {
  Spec spec = LoadSpecDocuments({{"m.yaml", "mapper:\n  algorithm: random\nglobals: {}\n"}});
  ASSERT_EQ(spec.notes.size(), 1u);
  EXPECT_NE(spec.notes[0].find("read but not used: 'globals'"), std::string::npos) << spec.notes[0];
  ASSERT_TRUE(spec.mapper);  // the mapper settings are read: `cyclops map` honours them
  EXPECT_EQ(spec.mapper->algorithm, "random");
}

TEST(SpecMerge, SparseOptimizationsNeedArchitecture) {
  ExpectSpecError({{"s.yaml", "sparse_optimizations:\n  targets: []\n"}}, "s.yaml:2:3",
                  "sparse_optimizations", "architecture");
}

TEST(SpecMerge, MappingNeedsArchitectureAndProblem) {
  ExpectSpecError({{"map.yaml", kMapping}}, "map.yaml:2:1", "mapping", "architecture");
}

TEST(SpecMerge, CyclopsSettingsAreRead) {
  Spec spec = LoadSpecDocuments({{"c.yaml", "cyclops: {clock_hz: 2e8, seed: 7, psum_bits: 24}\n"}});
  EXPECT_EQ(spec.cyclops.clock_hz, 2e8);
  EXPECT_EQ(spec.cyclops.seed, 7u);
  EXPECT_EQ(spec.cyclops.psum_bits, 24);
}

// ---------------------------------------------------------------- architecture structure

TEST(SpecArchitecture, UnknownTag) {
  ExpectSpecError(Documents(Replace(kArch, "  - !Container\n    name: PE", "  - !Contianer\n    name: PE"),
                            kProblem, kMapping),
                  "arch.yaml:11:5", "architecture.nodes[2]", "!Container");
}

TEST(SpecArchitecture, MissingTag) {
  ExpectSpecError(
      Documents(Replace(kArch, "  - !Container\n    name: PE", "  -\n    name: PE"), kProblem, kMapping),
      "arch.yaml:12:5", "architecture.nodes[2]", "!Component");
}

TEST(SpecArchitecture, LastComponentMustBeArithmetic) {
  ExpectSpecError(Documents(Replace(kArch, "attributes: {width: 8}", "attributes: {depth: 2, width: 8}"),
                            kProblem, kMapping),
                  "arch.yaml:18:5", "architecture.nodes[4]", "MAC");
}

TEST(SpecArchitecture, StorageWithoutDatawidth) {
  ExpectSpecError(Documents(Replace(kArch, "{width: 64, datawidth: 8}", "{width: 64}"), kProblem, kMapping),
                  "arch.yaml:7:5", "architecture.nodes[1]", "datawidth");
}

TEST(SpecArchitecture, ConstraintNamesUnknownDimension) {
  std::string arch = Replace(kArch, "    spatial: {meshX: 4}\n",
                             "    spatial: {meshX: 4}\n    constraints: {spatial: {factors: [X=1]}}\n");
  ExpectSpecError(Documents(arch, kProblem, kMapping), "arch.yaml:14:39",
                  "architecture.nodes[2].constraints.spatial.factors[0]", "K, R, P");
}

TEST(SpecArchitecture, ConstraintNamesUnknownDataSpace) {
  std::string arch = Replace(kArch, "    class: regfile\n",
                             "    class: regfile\n    constraints: {dataspace: {keep: [Psums]}}\n");
  ExpectSpecError(Documents(arch, kProblem, kMapping), "arch.yaml:17:38",
                  "architecture.nodes[3].constraints.dataspace.keep[0]", "Weights");
}

// ---------------------------------------------------------------- problem

TEST(SpecProblem, MissingInstanceBound) {
  ExpectSpecError(Documents(kArch, Replace(kProblem, ", P: 16}", "}"), kMapping), "prob.yaml:14:13",
                  "problem.instance", "P");
}

TEST(SpecProblem, ZeroBound) {
  ExpectSpecError(Documents(kArch, Replace(kProblem, "K: 8,", "K: 0,"), kMapping), "prob.yaml:14:17",
                  "problem.instance.K", ">= 1");
}

TEST(SpecProblem, ProjectionNamesUnknownDimension) {
  ExpectSpecError(Documents(kArch, Replace(kProblem, "[[[R], [P]]]", "[[[R], [Q]]]"), kMapping),
                  "prob.yaml:10:27", "problem.shape.data_spaces[1].projection[0][1][0]",
                  "dimensions K, R, P");
}

TEST(SpecProblem, DensityAboveOne) {
  ExpectSpecError(
      Documents(kArch, Replace(kProblem, "P: 16}", "P: 16, densities: {Weights: 1.5}}"), kMapping),
      "prob.yaml:14:54", "problem.instance.densities.Weights", "[0, 1]");
}

TEST(SpecProblem, DuplicateDimension) {
  ExpectSpecError(Documents(kArch, Replace(kProblem, "[K, R, P]", "[K, R, K]"), kMapping), "prob.yaml:5:24",
                  "problem.shape.dimensions[2]", "");
}

// ---------------------------------------------------------------- mapping

TEST(SpecMapping, UnknownTarget) {
  ExpectMappingError(Replace(kMapping, "- target: buffer", "- target: bufer"), "map.yaml:9:11",
                     "mapping[2].target", "buffer, inter_PE_spatial, DRAM");
}

TEST(SpecMapping, UnknownType) {
  ExpectMappingError(Replace(kMapping, "  type: spatial\n", "  type: spacial\n"), "map.yaml:7:9",
                     "mapping[1].type", "spatial");
}

TEST(SpecMapping, UnknownDimensionInFactors) {
  ExpectMappingError(Replace(kMapping, "factors: R=3", "factors: S=3"), "map.yaml:11:12",
                     "mapping[2].factors", "K, R, P");
}

TEST(SpecMapping, UnknownDimensionInPermutation) {
  ExpectMappingError(Replace(kMapping, "permutation: PRK", "permutation: PRQ"), "map.yaml:5:16",
                     "mapping[0].permutation", "K, R, P");
}

TEST(SpecMapping, DuplicateDimensionInFactors) {
  ExpectMappingError(Replace(kMapping, "factors: K=2 R=1 P=16", "factors: K=2 R=1 K=16"), "map.yaml:4:12",
                     "mapping[0].factors", "at most once");
}

TEST(SpecMapping, DuplicateDimensionInPermutation) {
  ExpectMappingError(Replace(kMapping, "permutation: PRK", "permutation: [P, R, P]"), "map.yaml:5:23",
                     "mapping[0].permutation[2]", "at most once");
}

TEST(SpecMapping, ZeroFactor) {
  ExpectMappingError(Replace(kMapping, "factors: R=3", "factors: R=0"), "map.yaml:11:12",
                     "mapping[2].factors", "positive");
}

TEST(SpecMapping, NegativeFactor) {
  ExpectMappingError(Replace(kMapping, "factors: R=3", "factors: R=-3"), "map.yaml:11:12",
                     "mapping[2].factors", "positive");
}

TEST(SpecMapping, NonIntegerFactor) {
  ExpectMappingError(Replace(kMapping, "factors: R=3", "factors: [R=1.5]"), "map.yaml:11:13",
                     "mapping[2].factors[0]", "integer");
}

TEST(SpecMapping, FactorProductDoesNotMatchBound) {
  try {
    LoadSpecDocuments(Documents(kArch, kProblem, Replace(kMapping, "factors: R=3", "factors: R=3 P=2")));
    ADD_FAILURE() << "no error";
  } catch (const SpecError& error) {
    EXPECT_EQ(std::string(error.what()).rfind("map.yaml:2:1: error", 0), 0u) << error.what();
    EXPECT_NE(error.problem().find("dimension P multiply to 32"), std::string::npos) << error.what();
    EXPECT_NE(error.problem().find("bound is 16"), std::string::npos) << error.what();
    EXPECT_EQ(error.where().key_path, "mapping");
  }
}

TEST(SpecMapping, SpatialExceedsMeshX) {
  std::string mapping =
      Replace(Replace(kMapping, "factors: K=4", "factors: K=8"), "factors: K=2 R=1", "factors: K=1 R=1");
  ExpectMappingError(mapping, "map.yaml:6:3", "mapping[1]", "<= 4");
}

TEST(SpecMapping, SpatialInYExceedsMeshY) {
  ExpectMappingError(Replace(kMapping, "  factors: K=4\n", "  factors: K=4\n  split: 0\n"), "map.yaml:6:3",
                     "mapping[1]", "<= 1 in Y");
}

TEST(SpecMapping, UnknownDataSpaceInKeep) {
  ExpectMappingError(kMapping + "- target: buffer\n  type: bypass\n  keep: [Psums]\n", "map.yaml:14:10",
                     "mapping[3].keep[0]", "Weights, Inputs, Outputs");
}

TEST(SpecMapping, KeptAndBypassed) {
  ExpectMappingError(
      kMapping + "- target: buffer\n  type: datatype\n  keep: [Inputs]\n  bypass: [Weights, Inputs]\n",
      "map.yaml:15:11", "mapping[3].bypass", "not both");
}

TEST(SpecMapping, TwoTemporalDirectivesForOneTarget) {
  ExpectMappingError(kMapping + "- target: buffer\n  type: temporal\n  factors: R=1\n", "map.yaml:13:9",
                     "mapping[3].type", "one directive");
}

TEST(SpecMapping, KeepIsAMap) {
  ExpectMappingError(kMapping + "- target: buffer\n  type: bypass\n  keep: {Inputs: true}\n", "map.yaml:14:9",
                     "mapping[3].keep", "list");
}

TEST(SpecMapping, SplitBeyondDimensions) {
  ExpectMappingError(Replace(kMapping, "  factors: K=4\n", "  factors: K=4\n  split: 9\n"), "map.yaml:9:10",
                     "mapping[1].split", "0..3");
}

TEST(SpecMapping, BypassDirectiveSetsKeep) {
  Spec spec = LoadSpecDocuments(
      Documents(kArch, kProblem,
                kMapping + "- target: buffer\n  type: bypass\n  keep: [Weights]\n  bypass: [Inputs]\n"));
  EXPECT_EQ(spec.mapping->levels[0].keep,
            (std::vector<bool>{true, false, true}));  // Outputs keeps its default
  EXPECT_EQ(spec.mapping->levels[0].keep_where.line, 12);
}

}  // namespace
}  // namespace cyclops::spec
