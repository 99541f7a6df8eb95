// The Cyclops-only `noc:` key of an architecture: what is read, and strict errors at hand-counted
// line:column positions.
#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "sim/core/error.h"
#include "sim/spec/loader.h"

namespace cyclops::spec {
namespace {

// A two-level architecture with `noc_block` inserted after `version:` (lines 3 onwards of arch.yaml).
std::string Arch(const std::string& noc_block) {
  return "architecture:\n"
         "  version: 0.4\n" +
         noc_block +
         "  nodes:\n"
         "  - !Component\n"
         "    name: DRAM\n"
         "    class: DRAM\n"
         "    attributes: {width: 64, datawidth: 8}\n"
         "  - !Container\n"
         "    name: PE\n"
         "    spatial: {meshX: 4}\n"
         "  - !Component\n"
         "    name: spad\n"
         "    class: regfile\n"
         "    attributes: {depth: 16, width: 8, datawidth: 8}\n"
         "  - !Component\n"
         "    name: mac\n"
         "    class: intmac\n";
}

SpecError ErrorOf(const std::string& noc_block) {
  try {
    LoadSpecDocuments({{"arch.yaml", Arch(noc_block)}});
  } catch (const SpecError& error) {
    return error;
  }
  ADD_FAILURE() << "no error for:\n" << noc_block;
  return SpecError({}, "");
}

TEST(NocLoader, ReadsTopologyTypedParamsAndModes) {
  const Spec spec =
      LoadSpecDocuments({{"arch.yaml", Arch("  noc:\n"
                                            "    topology: mesh2d\n"
                                            "    params: {x: 4, y: 1, link_width_bits: 16, fast: true, "
                                            "scale: 2.5, note: wide}\n"
                                            "    modes: {Inputs: broadcast}\n")}});
  ASSERT_TRUE(spec.architecture->noc.has_value());
  const NocSpec& noc = *spec.architecture->noc;
  EXPECT_EQ(noc.topology, "mesh2d");
  EXPECT_EQ(std::get<int64_t>(noc.params.at("x")), 4);
  EXPECT_EQ(std::get<int64_t>(noc.params.at("link_width_bits")), 16);
  EXPECT_EQ(std::get<bool>(noc.params.at("fast")), true);
  EXPECT_DOUBLE_EQ(std::get<double>(noc.params.at("scale")), 2.5);
  EXPECT_EQ(std::get<std::string>(noc.params.at("note")), "wide");
  EXPECT_EQ(noc.modes.at("Inputs").first, "broadcast");
  // Where each parameter was written, for the builders' errors: line 5, after "params: {x: ".
  EXPECT_EQ(noc.param_where.at("x").line, 5);
  EXPECT_EQ(noc.topology_where.line, 4);
}

TEST(NocLoader, WithoutTheKeyThereIsNoNoc) {
  EXPECT_FALSE(LoadSpecDocuments({{"arch.yaml", Arch("")}}).architecture->noc.has_value());
}

TEST(NocLoader, ReadsCustomNodesAndLinks) {
  const Spec spec = LoadSpecDocuments(
      {{"arch.yaml", Arch("  noc:\n"
                          "    topology: custom\n"
                          "    nodes:\n"
                          "    - {name: g, kind: glb_bank}\n"
                          "    - {name: p0, kind: pe, local: [0, 0], data_types: \"iact,weight\"}\n"
                          "    links:\n"
                          "    - {from: g, to: p0, width_bits: 24, latency_cycles: 2, from_port: 0}\n")}});
  const NocSpec& noc = *spec.architecture->noc;
  ASSERT_EQ(noc.nodes.size(), 2u);
  EXPECT_EQ(noc.nodes[1].data_types, "iact,weight");
  ASSERT_EQ(noc.links.size(), 1u);
  EXPECT_EQ(noc.links[0].width_bits, 24);
  EXPECT_EQ(noc.links[0].latency_cycles, 2);
  EXPECT_EQ(noc.links[0].from_port, 0);
  EXPECT_FALSE(noc.links[0].to_port.has_value());
}

TEST(NocLoader, AnUnknownKeyIsAnErrorAtItsLine) {
  // line 5 "    widht: 3": the key starts at column 5.
  const SpecError error = ErrorOf("  noc:\n    topology: mesh2d\n    widht: 3\n");
  EXPECT_EQ(error.where().line, 5);
  EXPECT_EQ(error.where().column, 5);
  EXPECT_NE(error.valid().find("params"), std::string::npos) << error.valid();
}

TEST(NocLoader, AnUnknownModeListsTheFour) {
  const SpecError error = ErrorOf("  noc:\n    topology: eyeriss_v2_hm\n    modes: {Inputs: multicast}\n");
  EXPECT_EQ(error.where().line, 5);
  EXPECT_NE(error.problem().find("multicast"), std::string::npos);
  for (const char* mode : {"unicast", "broadcast", "grouped_multicast", "interleaved_multicast"})
    EXPECT_NE(error.valid().find(mode), std::string::npos) << mode;
}

TEST(NocLoader, CarriesNamesANetworkPerDataSpaceAndRefusesAnUnknownOne) {
  const Spec spec = LoadSpecDocuments(
      {{"arch.yaml", Arch("  noc:\n    topology: eyeriss_v2_hm\n    carries: {A: iact, B: weight}\n")}});
  EXPECT_EQ(spec.architecture->noc->carries.at("A").first, "iact");
  EXPECT_EQ(spec.architecture->noc->carries.at("B").first, "weight");
  const SpecError error = ErrorOf("  noc:\n    topology: eyeriss_v2_hm\n    carries: {A: activations}\n");
  EXPECT_EQ(error.where().line, 5);
  EXPECT_NE(error.problem().find("activations"), std::string::npos);
  EXPECT_EQ(error.valid(), "iact, weight, psum");
}

TEST(NocLoader, NodeListsNeedTheCustomTopology) {
  const SpecError error = ErrorOf("  noc:\n    topology: mesh2d\n    nodes:\n    - {name: a, kind: pe}\n");
  EXPECT_NE(error.problem().find("mesh2d"), std::string::npos) << error.problem();
  EXPECT_NE(error.valid().find("custom"), std::string::npos);
}

TEST(NocLoader, ALinkWithoutAWidthIsAnError) {
  const SpecError error = ErrorOf("  noc:\n    topology: custom\n    links:\n    - {from: a, to: b}\n");
  EXPECT_EQ(error.where().line, 6);
  EXPECT_NE(error.problem().find("width_bits"), std::string::npos) << error.problem();
}

}  // namespace
}  // namespace cyclops::spec
