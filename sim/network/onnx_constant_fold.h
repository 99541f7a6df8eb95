// Constant folding of an ONNX graph's shape arithmetic, before the importer reads it: exporters compute
// shapes and bounds inside the graph (torch exports x.size() as Shape → Gather → Add/Div/Mul → Slice,
// shufflenet's chunk and channel shuffle, the views of attention), and ONNX's shape inference leaves the
// tensors after them without shapes. Folding repeats shape inference and replaces by a Constant node every
// node it can evaluate — Shape of a tensor with a static shape, and Gather, Unsqueeze, Squeeze, Concat,
// Slice, Cast, Identity, Add, Sub, Mul, Div, Mod, Pow, Not, Transpose, ScatterND, Reshape, ConstantOfShape,
// Range, Equal, Where, Expand of constants whose values the file holds (at most kMaxFoldedValues values
// each, kMaxFoldedTotal in all) — until nothing
// changes. A node reading a constant whose values the file does not hold (weights stripped) folds to a
// constant of the same kind, its shape and no values (e.g. ViT's class token Expand-ed to the batch), which
// the importer seeds like any stripped constant.
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace cyclops::network {

// Bounds on what folding may hold, so a hostile file cannot exhaust memory: values per folded tensor (swin's
// shifted-window mask, 64 × 49 × 49, is the largest a torchvision model needs) and over the whole graph.
inline constexpr int64_t kMaxFoldedValues = 1 << 20;
inline constexpr int64_t kMaxFoldedTotal = 1 << 23;

// Tensor values are held as doubles; torch writes "to the end" as INT64_MAX (2^63 − 1, 2^63 as a double),
// whose plain cast back would be undefined: out-of-range values saturate.
int64_t SaturatedInt64(double value);

// A tensor's values as doubles, when the file holds all of them (weights-stripped files may not).
std::optional<std::vector<double>> TensorValues(const onnx::TensorProto& tensor);

// Folds `model`'s graph in place; `infer` runs shape inference on it (the importer's, with its error
// handling). Returns how many nodes became constants.
int FoldConstants(onnx::ModelProto& model, const std::function<void(onnx::ModelProto&)>& infer);

}  // namespace cyclops::network
