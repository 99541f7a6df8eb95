// `cyclops network` with pruned weights on a sparse architecture (Eyeriss v1 with zero gating on input
// activations and run-length-compressed feature maps, configs/arch/eyeriss_v1_sparse.yaml): the zeros of
// the data that flows — padding, ReLU, pruning — gate the MACs, every layer's densities are measured from
// that data, the final output stays bit-exact with a reference forward pass that prunes the same way.
// Expected values are worked by hand from the tiny network's shapes (configs/workloads/networks/tiny.yaml).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/paths.h"

namespace cyclops::test {
namespace {

namespace fs = std::filesystem;

std::string Command(const std::string& network, const std::string& out, const std::string& extra) {
  return CyclopsBinary() + " network " + network + " --arch " + SourceDir() +
         "/configs/arch/eyeriss_v1_sparse.yaml --out " + out + " --no-progress " + extra;
}

std::string Tiny() {
  return SourceDir() + "/configs/workloads/networks/tiny.yaml";
}

nlohmann::json Layer(const nlohmann::json& network, const std::string& name) {
  for (const nlohmann::json& layer : network.at("layers"))
    if (layer.at("name") == name) return layer;
  ADD_FAILURE() << "no layer " << name;
  return {};
}

int64_t Removed(const nlohmann::json& layer) {  // MACs removed before the compute unit (gated operand reads)
  const nlohmann::json& macs = layer.at("sparse").at("macs");
  return layer.at("macs").get<int64_t>() - macs.at("actual").get<int64_t>() -
         macs.at("gated").get<int64_t>() - macs.at("skipped").get<int64_t>();
}

const char* kMacLayers[] = {"conv1", "dw2", "pw2", "conv3", "fc"};

TEST(SparseNetwork, PrunedWeightsAndPaddingZerosGateTheMacsBitExact) {
  const std::string out = TempDir("sparse_tiny");
  std::string output;
  ASSERT_EQ(RunCommand(Command(Tiny(), out, "--prune 0.5"), &output), 0) << output;
  EXPECT_NE(output.find("final output bit-exact with the reference forward pass"), std::string::npos)
      << output;
  EXPECT_NE(output.find("sparse: the compute unit did"), std::string::npos) << output;
  const nlohmann::json json = nlohmann::json::parse(ReadFile(out + "/network.json"));
  // Every MAC layer holds an even number of weights (conv1 8·4·3·3 = 288, dw2 8·3·3 = 72, pw2 8·8 = 64,
  // conv3 4·8·3·3 = 288, fc 10·12 = 120): pruning to 0.5 keeps exactly half, all of them nonzero.
  for (const char* name : kMacLayers)
    EXPECT_EQ(Layer(json, name).at("sparse").at("densities").at("Weights").get<double>(), 0.5) << name;
  // conv1 reads the 4 × 8 × 8 input padded to 4 × 10 × 10: 256 image values among 400, so at most 0.64.
  const nlohmann::json conv1 = Layer(json, "conv1");
  const double inputs = conv1.at("sparse").at("densities").at("Inputs").get<double>();
  EXPECT_LE(inputs, 0.64);
  EXPECT_GE(inputs, 0.60);
  // The MACs that read a padding zero: per output position the 3 × 3 taps outside the image are 5 at each
  // of the 4 corners and 3 at each of the 24 other edge positions, 92 in all, times C = 4 and M = 8: 2,944.
  // Each zero the seeded image holds itself adds at most 9 taps × M = 72 more.
  const int64_t image_zeros = 256 - std::llround(inputs * 400);
  EXPECT_GE(Removed(conv1), 2944);
  EXPECT_LE(Removed(conv1), 2944 + 72 * image_zeros);
  // After ReLU about half the activations are zero, so the layers behind it gate MACs too.
  EXPECT_LT(Layer(json, "dw2").at("sparse").at("densities").at("Inputs").get<double>(), 0.9);
  EXPECT_GT(Removed(Layer(json, "dw2")), 0);
  const nlohmann::json& totals = json.at("totals").at("sparse_macs");
  EXPECT_EQ(totals.at("macs").get<int64_t>(), 21880);
  EXPECT_LT(totals.at("actual").get<int64_t>(), 21880);
}

// Sparseloop's gating of the MACs on one operand leaves algorithmic × that operand's density of them
// (its hypergeometric expectation), which --analytical-only reports from the measured density.
TEST(SparseNetwork, AnalyticalOnlyGatesAtTheMeasuredDensity) {
  const std::string out = TempDir("sparse_tiny_analytical");
  std::string output;
  ASSERT_EQ(RunCommand(Command(Tiny(), out, "--prune 0.5 --analytical-only"), &output), 0) << output;
  const nlohmann::json json = nlohmann::json::parse(ReadFile(out + "/network.json"));
  for (const char* name : kMacLayers) {
    const nlohmann::json layer = Layer(json, name);
    const double inputs = layer.at("sparse").at("densities").at("Inputs").get<double>();
    const double expected = static_cast<double>(layer.at("macs").get<int64_t>()) * inputs;
    EXPECT_NEAR(layer.at("sparse").at("macs").at("actual").get<double>(), expected, 1.0) << name;
    EXPECT_EQ(layer.at("sparse").at("densities").at("Weights").get<double>(), 0.5) << name;
  }
}

// Eyeriss v2's SIMD-2 PE puts a dummy fan-out level under its 8-bit spads: the values drawn are still the
// spads' 8 bits (1-bit values would be half zeros, and ReLU would leave nothing of them). Unpruned 8-bit
// weights are zero 1 time in 256, so about 1 of conv1's 288.
TEST(SparseNetwork, SimdPresetsDrawValuesAsWideAsTheSpads) {
  const std::string out = TempDir("sparse_v2_values");
  std::string output;
  ASSERT_EQ(
      RunCommand(CyclopsBinary() + " network " + Tiny() + " --arch " + SourceDir() +
                     "/configs/arch/eyeriss_v2_sparse.yaml --analytical-only --no-progress --out " + out,
                 &output),
      0)
      << output;
  const nlohmann::json json = nlohmann::json::parse(ReadFile(out + "/network.json"));
  EXPECT_GE(Layer(json, "conv1").at("sparse").at("densities").at("Weights").get<double>(), 0.97);
  EXPECT_GT(json.at("output").at("nonzero").get<int64_t>(), 0);
  // The MAC units' utilisation counts the MACs they did: skipped ones are no work, so never above 1.
  for (const char* name : kMacLayers) {
    const nlohmann::json layer = Layer(json, name);
    EXPECT_LE(layer.at("utilisation").get<double>(), 1.0) << name;
    EXPECT_GT(layer.at("utilisation").get<double>(), 0.0) << name;
  }
}

// The prune density reaches the worker processes: --jobs 2 reports byte for byte what --jobs 1 does.
TEST(SparseNetwork, WorkersReportWhatTheInProcessRunReports) {
  const std::string one = TempDir("sparse_jobs1"), two = TempDir("sparse_jobs2");
  std::string output;
  ASSERT_EQ(RunCommand(Command(Tiny(), one, "--prune 0.5 --jobs 1"), &output), 0) << output;
  ASSERT_EQ(RunCommand(Command(Tiny(), two, "--prune 0.5 --jobs 2"), &output), 0) << output;
  EXPECT_EQ(ReadFile(one + "/report.txt"), ReadFile(two + "/report.txt"));
  EXPECT_EQ(ReadFile(one + "/network.json"), ReadFile(two + "/network.json"));
}

// tiny.yaml with `extra` added to the layer `name`, written as DIR/tiny.yaml.
std::string TinyWith(const std::string& dir, const std::string& name, const std::string& extra) {
  fs::create_directories(dir);
  std::ifstream in(Tiny());
  std::ofstream file(dir + "/tiny.yaml");
  std::string line;
  while (std::getline(in, line)) {
    const std::string layer = "- {name: " + name + ", ";
    if (line.find(layer) != std::string::npos) line.insert(line.find(layer) + layer.size(), extra + ", ");
    file << line << "\n";
  }
  return dir + "/tiny.yaml";
}

// A layer's own `prune:` wins over --prune: conv1 keeps 72 of its 288 weights, the others half.
TEST(SparseNetwork, ALayersOwnPruneWins) {
  const std::string dir = TempDir("sparse_own_prune");
  std::string output;
  ASSERT_EQ(RunCommand(Command(TinyWith(dir, "conv1", "prune: 0.25"), dir + "/out", "--prune 0.5"), &output),
            0)
      << output;
  EXPECT_NE(output.find("bit-exact"), std::string::npos) << output;
  const nlohmann::json json = nlohmann::json::parse(ReadFile(dir + "/out/network.json"));
  EXPECT_EQ(Layer(json, "conv1").at("sparse").at("densities").at("Weights").get<double>(), 0.25);
  EXPECT_EQ(Layer(json, "pw2").at("sparse").at("densities").at("Weights").get<double>(), 0.5);
}

TEST(SparseNetwork, BadPruneDensitiesAreErrors) {
  const std::string dir = TempDir("sparse_bad_prune");
  std::string output;
  // A command-line mistake is the usage status 1 (cyclops --help); a file's is the bad-input status 2.
  EXPECT_EQ(RunCommand(Command(Tiny(), dir + "/a", "--prune 1.5"), &output), 1) << output;
  EXPECT_NE(output.find("--prune"), std::string::npos) << output;
  EXPECT_EQ(RunCommand(Command(TinyWith(dir + "/b", "conv1", "prune: 2"), dir + "/b/out", ""), &output), 2)
      << output;
  EXPECT_NE(output.find("tiny.yaml:7:"), std::string::npos) << output;
  EXPECT_NE(output.find("a density from 0 to 1"), std::string::npos) << output;
  // relu1 (line 8) has no weights to prune.
  EXPECT_EQ(RunCommand(Command(TinyWith(dir + "/c", "relu1", "prune: 0.5"), dir + "/c/out", ""), &output), 2)
      << output;
  EXPECT_NE(output.find("tiny.yaml:8:"), std::string::npos) << output;
  EXPECT_NE(output.find("prune on a MAC layer"), std::string::npos) << output;
}

}  // namespace
}  // namespace cyclops::test
