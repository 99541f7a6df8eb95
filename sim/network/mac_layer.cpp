#include "sim/network/mac_layer.h"

#include <algorithm>
#include <cmath>

#include "sim/network/conv_layer.h"
#include "sim/network/matmul_layer.h"
#include "sim/spec/loader.h"

namespace cyclops::network {

namespace {
bool IsMatmul(const spec::NetworkLayerSpec& layer) {
  return layer.op == "matmul";
}
}  // namespace

int64_t Macs(const spec::NetworkLayerSpec& layer) {
  return IsMatmul(layer) ? matmul::Macs(layer) : conv::Macs(layer);
}

std::string ProblemYaml(const spec::NetworkLayerSpec& layer) {
  return IsMatmul(layer) ? matmul::ProblemYaml(layer) : conv::ProblemYaml(layer);
}

spec::Workload ProblemWorkload(const spec::NetworkLayerSpec& layer) {
  return *spec::LoadSpecDocuments({{layer.name + ".problem", ProblemYaml(layer)}}).workload;
}

std::map<std::string, int64_t> ProblemInstance(const spec::NetworkLayerSpec& layer) {
  if (!IsMatmul(layer)) return FullInstance(layer);
  std::map<std::string, int64_t> instance;
  for (const char* key : {"B", "M", "N", "K"}) instance[key] = matmul::Dim(layer, key);
  return instance;
}

int RequantShift(const std::vector<int64_t>& psums, int value_bits) {
  int64_t largest = 0;
  for (int64_t psum : psums)
    largest = std::max(largest, psum == INT64_MIN ? INT64_MAX : (psum < 0 ? -psum : psum));
  int bits = 0;
  while (bits < 63 && (largest >> bits) != 0) ++bits;
  return std::max(0, bits - (value_bits - 1));
}

PackedOperands PackOperands(const spec::NetworkLayerSpec& layer, const spec::Workload& workload,
                            const std::vector<const Activation*>& inputs) {
  PackedOperands packed;
  if (!IsMatmul(layer)) {
    packed.inputs = conv::PackInputs(layer, workload, *inputs.at(0));
    return packed;
  }
  packed.inputs = inputs.at(0)->values;                                      // [B][M][K] row-major
  if (matmul::TwoActivations(layer)) packed.weights = inputs.at(1)->values;  // [B][K][N]
  return packed;
}

Activation UnpackOutputs(const spec::NetworkLayerSpec&, const Shape& output,
                         const std::vector<int64_t>& outputs, int value_bits) {
  Activation activation{output, {}};
  const int shift = RequantShift(outputs, value_bits);
  activation.values.reserve(outputs.size());
  for (int64_t psum : outputs) activation.values.push_back(Saturate(psum >> shift, value_bits));
  return activation;
}

MacTraffic Traffic(const spec::NetworkLayerSpec& layer, int value_bits) {
  const spec::Workload workload = ProblemWorkload(layer);
  const double bytes = value_bits / 8.0;
  auto size = [&](const char* name) {
    return static_cast<int64_t>(std::ceil(workload.DataSpaceSize(workload.DataSpaceIndex(name)) * bytes));
  };
  return {size("Inputs"), size("Weights"), size("Outputs")};
}

}  // namespace cyclops::network
