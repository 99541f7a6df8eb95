#include "sim/network/conv_layer.h"

#include <sstream>

#include "sim/mapping/tensor_data.h"

namespace cyclops::network {

std::map<std::string, int64_t> FullInstance(const spec::NetworkLayerSpec& layer) {
  std::map<std::string, int64_t> instance = {
      {"G", 1}, {"C", 1}, {"M", 1},       {"R", 1},       {"S", 1},         {"N", 1},
      {"P", 1}, {"Q", 1}, {"Wstride", 1}, {"Hstride", 1}, {"Wdilation", 1}, {"Hdilation", 1}};
  for (const auto& [key, value] : layer.problem) instance[key] = value;
  return instance;
}

Pads PadsOf(const spec::NetworkLayerSpec& layer) {
  const int64_t all = Param(layer, "pad", 0);
  return {Param(layer, "pad_top", all), Param(layer, "pad_bottom", all), Param(layer, "pad_left", all),
          Param(layer, "pad_right", all)};
}

namespace conv {

int64_t Macs(const spec::NetworkLayerSpec& layer) {
  const auto i = FullInstance(layer);
  return CheckedProduct(
      layer, {i.at("G"), i.at("C"), i.at("M"), i.at("R"), i.at("S"), i.at("N"), i.at("P"), i.at("Q")},
      "MACs (G·C·M·R·S·N·P·Q)");
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
  const auto instance = FullInstance(layer);
  for (const char* key :
       {"G", "C", "M", "R", "S", "N", "P", "Q", "Wstride", "Hstride", "Wdilation", "Hdilation"}) {
    text << (first ? "" : ", ") << key << ": " << instance.at(key);
    first = false;
  }
  text << "}\n";
  return text.str();
}

std::vector<int64_t> PackInputs(const spec::NetworkLayerSpec& layer, const spec::Workload& workload,
                                const Activation& input) {
  const auto i = FullInstance(layer);
  const int64_t batch = i.at("N"), groups = i.at("G"), channels = i.at("C");
  const Pads pads = PadsOf(layer);
  const std::vector<mapping::Tensor> shaped = mapping::ShapeTensors(workload);
  const mapping::Tensor& inputs = shaped[workload.DataSpaceIndex("Inputs")];
  const int64_t width = inputs.rank_extent[3], height = inputs.rank_extent[4];
  std::vector<int64_t> values(inputs.values.size(), 0);
  // fc reads the input flattened per batch item (channel-major, as ONNX Flatten does): feature f = [n][f].
  const bool flat = layer.op == "fc";
  const int64_t in_height = flat ? 1 : input.shape[2], in_width = flat ? 1 : input.shape[3];
  for (int64_t n = 0; n < batch; ++n)
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t c = 0; c < channels; ++c)
        for (int64_t x = 0; x < width; ++x)
          for (int64_t y = 0; y < height; ++y) {
            const int64_t channel = g * channels + c, ix = x - pads.left, iy = y - pads.top;
            int64_t value = 0;
            if (flat)
              value = input.values[n * groups * channels + channel];
            else if (ix >= 0 && iy >= 0 && ix < in_width && iy < in_height)
              value = input.At(n, channel, iy, ix);
            values[(((n * groups + g) * channels + c) * width + x) * height + y] = value;
          }
  return values;
}

Shape OutputShape(const spec::NetworkLayerSpec& layer) {
  const auto i = FullInstance(layer);
  if (layer.op == "fc") return {i.at("N"), i.at("M")};
  return {i.at("N"), i.at("G") * i.at("M"), i.at("Q"), i.at("P")};
}

}  // namespace conv
}  // namespace cyclops::network
