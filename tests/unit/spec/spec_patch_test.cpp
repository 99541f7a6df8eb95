// Setting sweep values in spec documents (sim/spec/spec_patch): each kind of key path changes what the
// loader then reads, nothing else changes, and paths that address nothing are errors naming what exists.
#include "sim/spec/spec_patch.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sim/core/error.h"
#include "sim/spec/loader.h"
#include "sim/spec/sweep_loader.h"
#include "tests/support/paths.h"

namespace cyclops::spec {
namespace {

SpecDocument Read(const std::string& relative) {
  const std::string path = test::SourceDir() + "/" + relative;
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return {path, text.str()};
}

std::vector<SpecDocument> EyerissV1() {
  return {Read("configs/arch/eyeriss_v1.yaml"), Read("configs/workloads/layers/mobilenet_v1_dw13.yaml")};
}

// One parameter of one value, parsed from a sweep file so that its kind and path are the loader's.
SweepParameter Parameter(const std::string& key) {
  const SweepSpec sweep = LoadSweepDocument(
      "sweep.yaml", "sweep:\n  command: run\n  parameters:\n  - " + key + ": [1]\n", test::SourceDir());
  return sweep.axes[0].parameters[0];
}

Spec Patched(const std::vector<SpecDocument>& documents, const SweepParameter& parameter,
             const std::string& value, std::vector<PatchedDocument>* out = nullptr) {
  std::vector<PatchedDocument> patched = PatchSpecDocuments(documents, {{&parameter, value}});
  std::vector<SpecDocument> loaded;
  for (const PatchedDocument& document : patched) loaded.push_back(document.document);
  if (out) *out = patched;
  return LoadSpecDocuments(loaded);
}

const StorageLevelSpec& Level(const Spec& spec, const std::string& name) {
  return spec.architecture->storage.at(spec.architecture->StorageIndex(name));
}

TEST(SpecPatch, ArchitectureAttributeChangesOnlyThatValue) {
  const Spec before = LoadSpecDocuments(EyerissV1());
  std::vector<PatchedDocument> documents;
  const Spec after = Patched(EyerissV1(), Parameter("architecture.glb.depth"), "6400", &documents);
  EXPECT_EQ(Level(before, "glb").depth, 12800);  // configs/arch/eyeriss_v1.yaml
  EXPECT_EQ(Level(after, "glb").depth, 6400);
  EXPECT_EQ(Level(after, "filter_glb").depth, 1024);
  // The tags survive re-emission: 12 x 14 PEs, each with its three spads, as before.
  EXPECT_EQ(after.architecture->arithmetic.instances, 168);
  EXPECT_EQ(Level(after, "ifmap_spad").instances, 168);
  EXPECT_EQ(after.architecture->noc->topology, "eyeriss_v1_bus");
  ASSERT_EQ(documents.size(), 2u);
  EXPECT_TRUE(documents[0].changed);
  EXPECT_FALSE(documents[1].changed);
  EXPECT_EQ(documents[1].document.text, EyerissV1()[1].text);  // byte for byte
}

TEST(SpecPatch, ContainerFanOutChangesTheInstances) {
  // The PE array fans out 14 along X and 12 along Y; 7 columns of 12 PEs are 84 MACs.
  const Spec after = Patched(EyerissV1(), Parameter("architecture.PE.spatial.meshX"), "7");
  EXPECT_EQ(after.architecture->arithmetic.instances, 7 * 12);
}

TEST(SpecPatch, NocParameterIsAddedOrReplaced) {
  const Spec added = Patched(EyerissV1(), Parameter("noc.iact_width_bits"), "32");
  EXPECT_EQ(std::get<int64_t>(added.architecture->noc->params.at("iact_width_bits")), 32);
  EXPECT_EQ(std::get<int64_t>(added.architecture->noc->params.at("rows")), 12);
  const Spec replaced = Patched(EyerissV1(), Parameter("noc.rows"), "6");
  EXPECT_EQ(std::get<int64_t>(replaced.architecture->noc->params.at("rows")), 6);
}

TEST(SpecPatch, ProblemAndCyclopsPaths) {
  const Spec problem = Patched(EyerissV1(), Parameter("problem.instance.P"), "5");
  EXPECT_EQ(problem.workload->bounds[problem.workload->DimensionIndex("P")], 5);
  std::vector<PatchedDocument> documents;
  const Spec seeded = Patched(EyerissV1(), Parameter("cyclops.seed"), "7", &documents);
  EXPECT_EQ(seeded.cyclops.seed, 7u);
  ASSERT_EQ(documents.size(), 3u);  // neither file had a cyclops key: a document of its own
  EXPECT_EQ(documents[2].document.name, "sweep_cyclops.yaml");
}

TEST(SpecPatch, PathsThatAddressNothingNameWhatExists) {
  const SweepParameter component = Parameter("architecture.gbuf.depth");
  try {
    PatchSpecDocuments(EyerissV1(), {{&component, "1"}});
    FAIL() << "no error";
  } catch (const SpecError& error) {
    EXPECT_EQ(error.where().line, 4);  // the key in the sweep file
    EXPECT_NE(std::string(error.what()).find("'gbuf'"), std::string::npos);
    EXPECT_NE(error.valid().find("filter_glb"), std::string::npos);
  }
  const SweepParameter attribute = Parameter("architecture.glb.size");
  try {
    PatchSpecDocuments(EyerissV1(), {{&attribute, "1"}});
    FAIL() << "no error";
  } catch (const SpecError& error) {
    EXPECT_NE(std::string(error.what()).find("no attribute 'size'"), std::string::npos);
    EXPECT_NE(error.valid().find("depth, width, n_banks, datawidth"), std::string::npos);
  }
  const SweepParameter instance = Parameter("problem.instance.Z");
  EXPECT_THROW(PatchSpecDocuments(EyerissV1(), {{&instance, "1"}}), SpecError);
  const SweepParameter noc = Parameter("noc.iact_width_bits");
  EXPECT_THROW(PatchSpecDocuments({Read("configs/examples/eyeriss_like/arch.yaml")}, {{&noc, "1"}}),
               SpecError);
}

}  // namespace
}  // namespace cyclops::spec
