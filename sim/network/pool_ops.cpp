// Pooling on integer activations: maxpool and avgpool (kernel, stride, pad; windows clipped to the input,
// as ONNX with count_include_pad = 0), and global_avgpool. Averages round toward minus infinity.
// Cost: one operation per window element per output.
#include <algorithm>
#include <limits>

#include "sim/network/op_kernel.h"

namespace cyclops::network {
namespace {

int64_t FloorDivide(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

class WindowPoolOp : public OpKernel {
 public:
  Placement Where() const override { return Placement::kNonMac; }
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    if (inputs.size() != 1)
      throw SpecError(layer.where, "layer '" + layer.name + "': pooling takes one input", "one input");
    const Window w = WindowOf(layer);
    const Shape& in = inputs[0];
    if (in.height + 2 * w.pad < w.kernel || in.width + 2 * w.pad < w.kernel)
      throw SpecError(layer.where, "layer '" + layer.name + "': kernel " + std::to_string(w.kernel) +
                                       " is larger than the padded " + in.ToString() + " input");
    return {in.channels, (in.height + 2 * w.pad - w.kernel) / w.stride + 1,
            (in.width + 2 * w.pad - w.kernel) / w.stride + 1};
  }
  int64_t Operations(const spec::NetworkLayerSpec& layer, const std::vector<Shape>&,
                     const Shape& output) const override {
    const Window w = WindowOf(layer);
    return output.Elements() * w.kernel * w.kernel;
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext&) const override {
    const Activation& in = *inputs[0];
    const Window w = WindowOf(layer);
    Activation out{Infer(layer, {in.shape}), {}};
    out.values.resize(out.shape.Elements());
    for (int64_t c = 0; c < out.shape.channels; ++c)
      for (int64_t y = 0; y < out.shape.height; ++y)
        for (int64_t x = 0; x < out.shape.width; ++x) {
          const int64_t y0 = std::max<int64_t>(0, y * w.stride - w.pad);
          const int64_t x0 = std::max<int64_t>(0, x * w.stride - w.pad);
          const int64_t y1 = std::min(in.shape.height, y * w.stride - w.pad + w.kernel);
          const int64_t x1 = std::min(in.shape.width, x * w.stride - w.pad + w.kernel);
          std::vector<int64_t> window;
          for (int64_t iy = y0; iy < y1; ++iy)
            for (int64_t ix = x0; ix < x1; ++ix) window.push_back(in.At(c, iy, ix));
          out.At(c, y, x) = Reduce(window);
        }
    return out;
  }

 protected:
  struct Window {
    int64_t kernel, stride, pad;
  };
  virtual Window WindowOf(const spec::NetworkLayerSpec& layer) const {
    const int64_t kernel = Param(layer, "kernel", 1, 1);
    return {kernel, Param(layer, "stride", kernel, 1), Param(layer, "pad", 0)};
  }
  virtual int64_t Reduce(const std::vector<int64_t>& window) const = 0;
};

class MaxPoolOp : public WindowPoolOp {
 protected:
  int64_t Reduce(const std::vector<int64_t>& window) const override {
    return *std::max_element(window.begin(), window.end());
  }
};

class AvgPoolOp : public WindowPoolOp {
 protected:
  int64_t Reduce(const std::vector<int64_t>& window) const override {
    int64_t sum = 0;
    for (int64_t value : window) sum += value;
    return FloorDivide(sum, static_cast<int64_t>(window.size()));
  }
};

// The whole map is one window; Infer sees the input, so the window is taken from it.
class GlobalAvgPoolOp : public AvgPoolOp {
 public:
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    if (inputs.size() != 1)
      throw SpecError(layer.where, "layer '" + layer.name + "': pooling takes one input", "one input");
    return {inputs[0].channels, 1, 1};
  }
  int64_t Operations(const spec::NetworkLayerSpec&, const std::vector<Shape>& inputs,
                     const Shape&) const override {
    return inputs.at(0).Elements();
  }
  Activation Compute(const spec::NetworkLayerSpec&, const std::vector<const Activation*>& inputs,
                     const OpContext&) const override {
    const Activation& in = *inputs[0];
    Activation out{{in.shape.channels, 1, 1}, std::vector<int64_t>(in.shape.channels)};
    const int64_t area = in.shape.height * in.shape.width;
    for (int64_t c = 0; c < in.shape.channels; ++c)
      out.values[c] = Reduce({in.values.begin() + c * area, in.values.begin() + (c + 1) * area});
    return out;
  }
};

CYCLOPS_REGISTER_OP("maxpool", MaxPoolOp);
CYCLOPS_REGISTER_OP("avgpool", AvgPoolOp);
CYCLOPS_REGISTER_OP("global_avgpool", GlobalAvgPoolOp);

}  // namespace
}  // namespace cyclops::network
