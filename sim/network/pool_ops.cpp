// Pooling on [N, C, H, W] integer activations: maxpool and avgpool (kernel, stride, pads before and after
// each axis, ceil_mode, count_include_pad) and global_avgpool / global_maxpool. Output size per axis:
// floor((in + pads − kernel) / stride) + 1, or with ceil_mode the ceiling, as ONNX's shape inference
// computes it. Windows are clipped to the input (padding never wins a max); an average divides by the
// values inside the input, or with count_include_pad by the window's positions inside the padded input.
// Averages round toward minus infinity. Cost: one operation per window element per output.
#include <algorithm>
#include <limits>

#include "sim/network/conv_layer.h"
#include "sim/network/op_kernel.h"

namespace cyclops::network {
namespace {

int64_t FloorDivide(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

struct Window {
  int64_t kernel_h, kernel_w, stride_h, stride_w;
  Pads pads;
  bool ceil_mode, include_pad;
};

class PoolBase : public OpKernel {
 public:
  Placement Where() const override { return Placement::kNonMac; }

 protected:
  static const Shape& Input(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) {
    RequireInputs(layer, inputs, 1);
    if (inputs[0].rank() != 4) FailLayer(layer, "input " + inputs[0].ToString(), "[N, C, H, W]");
    return inputs[0];
  }
};

class WindowPoolOp : public PoolBase {
 public:
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    const Shape& in = Input(layer, inputs);
    const Window w = WindowOf(layer);
    return {in[0], in[1],
            Extent(layer, in[2], w.kernel_h, w.stride_h, w.pads.top, w.pads.bottom, w.ceil_mode),
            Extent(layer, in[3], w.kernel_w, w.stride_w, w.pads.left, w.pads.right, w.ceil_mode)};
  }
  int64_t Operations(const spec::NetworkLayerSpec& layer, const std::vector<Shape>&,
                     const Shape& output) const override {
    const Window w = WindowOf(layer);
    return output.Elements() * w.kernel_h * w.kernel_w;
  }
  Activation Compute(const spec::NetworkLayerSpec& layer, const std::vector<const Activation*>& inputs,
                     const OpContext&) const override {
    const Activation& in = *inputs[0];
    const Window w = WindowOf(layer);
    Activation out{Infer(layer, {in.shape}), {}};
    out.values.resize(out.shape.Elements());
    const int64_t height = in.shape[2], width = in.shape[3];
    std::vector<int64_t> window;
    for (int64_t n = 0; n < out.shape[0]; ++n)
      for (int64_t c = 0; c < out.shape[1]; ++c)
        for (int64_t y = 0; y < out.shape[2]; ++y)
          for (int64_t x = 0; x < out.shape[3]; ++x) {
            const int64_t ys = y * w.stride_h - w.pads.top, xs = x * w.stride_w - w.pads.left;
            window.clear();
            for (int64_t iy = std::max<int64_t>(0, ys); iy < std::min(height, ys + w.kernel_h); ++iy)
              for (int64_t ix = std::max<int64_t>(0, xs); ix < std::min(width, xs + w.kernel_w); ++ix)
                window.push_back(in.At(n, c, iy, ix));
            // positions of the window inside the padded input (count_include_pad's divisor)
            const int64_t padded =
                (std::min(height + w.pads.bottom, ys + w.kernel_h) - std::max(-w.pads.top, ys)) *
                (std::min(width + w.pads.right, xs + w.kernel_w) - std::max(-w.pads.left, xs));
            out.At(n, c, y, x) = window.empty() ? 0 : Reduce(window, w.include_pad ? padded : 0);
          }
    return out;
  }

 protected:
  static Window WindowOf(const spec::NetworkLayerSpec& layer) {
    const int64_t kernel = Param(layer, "kernel", 1, 1);
    const int64_t kh = Param(layer, "kernel_h", kernel, 1), kw = Param(layer, "kernel_w", kernel, 1);
    const int64_t stride = Param(layer, "stride", kernel, 1);  // YAML's default: non-overlapping windows
    return {kh,
            kw,
            Param(layer, "stride_h", stride, 1),
            Param(layer, "stride_w", stride, 1),
            PadsOf(layer),
            Param(layer, "ceil_mode", 0) != 0,
            Param(layer, "count_include_pad", 0) != 0};
  }
  static int64_t Extent(const spec::NetworkLayerSpec& layer, int64_t size, int64_t kernel, int64_t stride,
                        int64_t before, int64_t after, bool ceil_mode) {
    const int64_t limit = int64_t{1} << 31;
    if (kernel > limit || stride > limit || before > limit || after > limit)
      FailLayer(layer, "a kernel, stride or pad beyond 2^31", "smaller windows");
    const int64_t span = size + before + after - kernel;
    if (span < 0)
      FailLayer(layer, "kernel " + std::to_string(kernel) + " is larger than the padded input (" +
                           std::to_string(size + before + after) + ")");
    return (ceil_mode ? (span + stride - 1) / stride : span / stride) + 1;
  }
  virtual int64_t Reduce(const std::vector<int64_t>& window, int64_t padded_count) const = 0;
};

class MaxPoolOp : public WindowPoolOp {
 protected:
  int64_t Reduce(const std::vector<int64_t>& window, int64_t) const override {
    return *std::max_element(window.begin(), window.end());
  }
};

class AvgPoolOp : public WindowPoolOp {
 protected:
  int64_t Reduce(const std::vector<int64_t>& window, int64_t padded_count) const override {
    int64_t sum = 0;
    for (int64_t value : window) sum += value;
    return FloorDivide(sum, padded_count > 0 ? padded_count : static_cast<int64_t>(window.size()));
  }
};

// The whole map is one window.
class GlobalPoolOp : public PoolBase {
 public:
  Shape Infer(const spec::NetworkLayerSpec& layer, const std::vector<Shape>& inputs) const override {
    const Shape& in = Input(layer, inputs);
    return {in[0], in[1], 1, 1};
  }
  int64_t Operations(const spec::NetworkLayerSpec&, const std::vector<Shape>& inputs,
                     const Shape&) const override {
    return inputs.at(0).Elements();
  }
  Activation Compute(const spec::NetworkLayerSpec&, const std::vector<const Activation*>& inputs,
                     const OpContext&) const override {
    const Activation& in = *inputs[0];
    const int64_t maps = in.shape[0] * in.shape[1], area = in.shape[2] * in.shape[3];
    Activation out{{in.shape[0], in.shape[1], 1, 1}, std::vector<int64_t>(maps)};
    for (int64_t m = 0; m < maps; ++m) {
      const auto begin = in.values.begin() + m * area, end = begin + area;
      out.values[m] = Reduce(begin, end, area);
    }
    return out;
  }

 protected:
  virtual int64_t Reduce(std::vector<int64_t>::const_iterator begin, std::vector<int64_t>::const_iterator end,
                         int64_t area) const = 0;
};

class GlobalAvgPoolOp : public GlobalPoolOp {
  int64_t Reduce(std::vector<int64_t>::const_iterator begin, std::vector<int64_t>::const_iterator end,
                 int64_t area) const override {
    int64_t sum = 0;
    for (auto it = begin; it != end; ++it) sum += *it;
    return FloorDivide(sum, area);
  }
};

class GlobalMaxPoolOp : public GlobalPoolOp {
  int64_t Reduce(std::vector<int64_t>::const_iterator begin, std::vector<int64_t>::const_iterator end,
                 int64_t) const override {
    return *std::max_element(begin, end);
  }
};

CYCLOPS_REGISTER_OP("maxpool", MaxPoolOp);
CYCLOPS_REGISTER_OP("avgpool", AvgPoolOp);
CYCLOPS_REGISTER_OP("global_avgpool", GlobalAvgPoolOp);
CYCLOPS_REGISTER_OP("global_maxpool", GlobalMaxPoolOp);

}  // namespace
}  // namespace cyclops::network
