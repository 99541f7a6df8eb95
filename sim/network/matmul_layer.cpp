#include "sim/network/matmul_layer.h"

#include <sstream>

#include "sim/network/op_kernel.h"

namespace cyclops::network::matmul {

int64_t Dim(const spec::NetworkLayerSpec& layer, const char* name) {
  const auto found = layer.problem.find(name);
  return found == layer.problem.end() ? 1 : found->second;
}

int64_t Macs(const spec::NetworkLayerSpec& layer) {
  return CheckedProduct(layer, {Dim(layer, "B"), Dim(layer, "M"), Dim(layer, "N"), Dim(layer, "K")},
                        "MACs (B·M·N·K)");
}

bool TwoActivations(const spec::NetworkLayerSpec& layer) {
  const auto found = layer.params.find("activations");
  return found != layer.params.end() && found->second == 2;
}

std::string ProblemYaml(const spec::NetworkLayerSpec& layer) {
  std::ostringstream text;
  text << "# matmul layer '" << layer.name << "' (written by cyclops network)\n"
       << "problem:\n"
          "  version: 0.4\n"
          "  shape:\n"
          "    name: BatchMatMul\n"
          "    dimensions: [B, M, N, K]\n"
          "    data_spaces:\n"
          "    - name: Weights\n"
          "      projection: [[[B]], [[K]], [[N]]]\n"
          "    - name: Inputs\n"
          "      projection: [[[B]], [[M]], [[K]]]\n"
          "    - name: Outputs\n"
          "      projection: [[[B]], [[M]], [[N]]]\n"
          "      read_write: true\n"
          "  instance: {B: "
       << Dim(layer, "B") << ", M: " << Dim(layer, "M") << ", N: " << Dim(layer, "N")
       << ", K: " << Dim(layer, "K") << "}\n";
  return text.str();
}

Shape OutputShape(const spec::NetworkLayerSpec& layer, const Shape& first_input) {
  std::vector<int64_t> dims = first_input.dims;
  if (dims.empty()) dims.push_back(1);
  dims.back() = Dim(layer, "N");
  return Shape(dims);
}

}  // namespace cyclops::network::matmul
