// network.json names its schema and version first (README, "Output files and their schemas").
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sim/network/network.h"
#include "sim/network/network_report.h"
#include "sim/spec/network_loader.h"
#include "tests/support/paths.h"

namespace cyclops::network {
namespace {

TEST(NetworkJson, NamesItsSchemaFirst) {
  const Network network(spec::LoadNetworkFile(test::SourceDir() + "/configs/workloads/networks/tiny.yaml"));
  NetworkRunResult run;
  run.layers.resize(network.layers().size());  // nothing ran: every figure zero
  const nlohmann::ordered_json json =
      nlohmann::ordered_json::parse(NetworkJson(network, run, ReportContext{}));
  EXPECT_EQ(json.begin().key(), "schema");
  EXPECT_EQ(json["schema"]["name"], "cyclops.network");
  EXPECT_EQ(json["schema"]["version"], 1);
  EXPECT_EQ(json["network"], "tiny");
}

}  // namespace
}  // namespace cyclops::network
