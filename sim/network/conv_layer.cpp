#include "sim/network/conv_layer.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sim/mapping/tensor_data.h"
#include "sim/spec/loader.h"

namespace cyclops::network {

std::map<std::string, int64_t> FullInstance(const spec::NetworkLayerSpec& layer) {
  std::map<std::string, int64_t> instance = {
      {"G", 1}, {"C", 1}, {"M", 1},       {"R", 1},       {"S", 1},         {"N", 1},
      {"P", 1}, {"Q", 1}, {"Wstride", 1}, {"Hstride", 1}, {"Wdilation", 1}, {"Hdilation", 1}};
  for (const auto& [key, value] : layer.problem) instance[key] = value;
  return instance;
}

int64_t Macs(const spec::NetworkLayerSpec& layer) {
  const auto i = FullInstance(layer);
  return i.at("G") * i.at("C") * i.at("M") * i.at("R") * i.at("S") * i.at("N") * i.at("P") * i.at("Q");
}

std::string ProblemYaml(const spec::NetworkLayerSpec& layer) {
  std::ostringstream text;
  text << "# " << layer.op << " layer '" << layer.name << "' (written by cyclops network)\n"
       << "problem:\n"
          "  version: 0.4\n"
          "  shape:\n"
          "    name: GroupedConv\n"
          "    dimensions: [G, C, M, R, S, N, P, Q]\n"
          "    coefficients:\n"
          "    - {name: Wstride, default: 1}\n"
          "    - {name: Hstride, default: 1}\n"
          "    - {name: Wdilation, default: 1}\n"
          "    - {name: Hdilation, default: 1}\n"
          "    data_spaces:\n"
          "    - name: Weights\n"
          "      projection: [[[G]], [[C]], [[M]], [[R]], [[S]]]\n"
          "    - name: Inputs\n"
          "      projection: [[[N]], [[G]], [[C]], [[R, Wdilation], [P, Wstride]], [[S, Hdilation], [Q, "
          "Hstride]]]\n"
          "    - name: Outputs\n"
          "      projection: [[[N]], [[G]], [[M]], [[Q]], [[P]]]\n"
          "      read_write: true\n"
          "  instance: {";
  bool first = true;
  for (const char* key :
       {"G", "C", "M", "R", "S", "N", "P", "Q", "Wstride", "Hstride", "Wdilation", "Hdilation"}) {
    text << (first ? "" : ", ") << key << ": " << FullInstance(layer).at(key);
    first = false;
  }
  text << "}\n";
  return text.str();
}

spec::Workload ProblemWorkload(const spec::NetworkLayerSpec& layer) {
  return *spec::LoadSpecDocuments({{layer.name + ".problem", ProblemYaml(layer)}}).workload;
}

int RequantShift(const std::vector<int64_t>& psums, int value_bits) {
  int64_t largest = 0;
  for (int64_t psum : psums) largest = std::max(largest, psum < 0 ? -psum : psum);
  int bits = 0;
  while (bits < 63 && (largest >> bits) != 0) ++bits;
  return std::max(0, bits - (value_bits - 1));
}

std::vector<int64_t> PackInputs(const spec::NetworkLayerSpec& layer, const spec::Workload& workload,
                                const Activation& input) {
  const auto i = FullInstance(layer);
  const int64_t groups = i.at("G"), channels = i.at("C");
  const int64_t pad = layer.params.count("pad") ? layer.params.at("pad") : 0;
  const std::vector<mapping::Tensor> shaped = mapping::ShapeTensors(workload);
  const mapping::Tensor& inputs = shaped[workload.DataSpaceIndex("Inputs")];
  const int64_t width = inputs.rank_extent[3], height = inputs.rank_extent[4];
  std::vector<int64_t> values(inputs.values.size(), 0);
  // fc reads the input flattened (channel-major, as ONNX Flatten does): feature f = [f][0][0].
  const bool flat = layer.op == "fc";
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t x = 0; x < width; ++x)
        for (int64_t y = 0; y < height; ++y) {
          const int64_t channel = g * channels + c, ix = x - pad, iy = y - pad;
          int64_t value = 0;
          if (flat)
            value = input.values[channel];
          else if (ix >= 0 && iy >= 0 && ix < input.shape.width && iy < input.shape.height)
            value = input.At(channel, iy, ix);
          values[((g * channels + c) * width + x) * height + y] = value;
        }
  return values;
}

Activation UnpackOutputs(const spec::NetworkLayerSpec& layer, const std::vector<int64_t>& outputs,
                         int value_bits) {
  const auto i = FullInstance(layer);
  Activation activation{{i.at("G") * i.at("M"), i.at("Q"), i.at("P")}, {}};
  const int shift = RequantShift(outputs, value_bits);
  activation.values.reserve(outputs.size());
  for (int64_t psum : outputs) activation.values.push_back(Saturate(psum >> shift, value_bits));
  return activation;
}

ConvTraffic Traffic(const spec::NetworkLayerSpec& layer, int value_bits) {
  const spec::Workload workload = ProblemWorkload(layer);
  const double bytes = value_bits / 8.0;
  auto size = [&](const char* name) {
    return static_cast<int64_t>(std::ceil(workload.DataSpaceSize(workload.DataSpaceIndex(name)) * bytes));
  };
  return {size("Inputs"), size("Weights"), size("Outputs")};
}

}  // namespace cyclops::network
