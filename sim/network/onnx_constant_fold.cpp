#include "sim/network/onnx_constant_fold.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <string>

namespace cyclops::network {

namespace {

using Dims = std::vector<int64_t>;

struct Tensor {
  Dims dims;
  std::vector<double> values;
  int32_t type = onnx::TensorProto::INT64;
};

int64_t Count(const Dims& dims) {
  int64_t count = 1;
  for (int64_t dim : dims) count *= dim;
  return count;
}

bool IsInteger(int32_t type) {
  return type != onnx::TensorProto::FLOAT && type != onnx::TensorProto::DOUBLE &&
         type != onnx::TensorProto::FLOAT16 && type != onnx::TensorProto::BFLOAT16;
}

onnx::TensorProto ToProto(const Tensor& tensor, const std::string& name) {
  onnx::TensorProto proto;
  proto.set_name(name);
  proto.set_data_type(tensor.type);
  for (int64_t dim : tensor.dims) proto.add_dims(dim);
  for (double value : tensor.values) switch (tensor.type) {
      case onnx::TensorProto::FLOAT:
        proto.add_float_data(static_cast<float>(value));
        break;
      case onnx::TensorProto::DOUBLE:
        proto.add_double_data(value);
        break;
      case onnx::TensorProto::INT64:
        proto.add_int64_data(SaturatedInt64(value));
        break;
      case onnx::TensorProto::UINT32:
      case onnx::TensorProto::UINT64:
        proto.add_uint64_data(static_cast<uint64_t>(value));
        break;
      default:  // INT32, INT16, INT8, UINT16, UINT8, BOOL
        proto.add_int32_data(static_cast<int32_t>(value));
        break;
    }
  return proto;
}

const onnx::AttributeProto* Attribute(const onnx::NodeProto& node, const std::string& name) {
  for (const onnx::AttributeProto& attribute : node.attribute())
    if (attribute.name() == name) return &attribute;
  return nullptr;
}

int64_t IntAttribute(const onnx::NodeProto& node, const std::string& name, int64_t fallback) {
  const onnx::AttributeProto* attribute = Attribute(node, name);
  return attribute ? attribute->i() : fallback;
}

std::optional<Dims> IntsAttribute(const onnx::NodeProto& node, const std::string& name) {
  const onnx::AttributeProto* attribute = Attribute(node, name);
  if (!attribute) return std::nullopt;
  return Dims(attribute->ints().begin(), attribute->ints().end());
}

Dims Ints(const Tensor& tensor) {
  Dims ints;
  for (double value : tensor.values) ints.push_back(SaturatedInt64(value));
  return ints;
}

Dims Strides(const Dims& dims) {
  Dims strides(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;) strides[i - 1] = strides[i] * dims[i];
  return strides;
}

// numpy broadcasting of `shapes`; nullopt when they do not broadcast.
std::optional<Dims> Broadcast(const std::vector<Dims>& shapes) {
  size_t rank = 0;
  for (const Dims& shape : shapes) rank = std::max(rank, shape.size());
  Dims out(rank, 1);
  for (const Dims& shape : shapes)
    for (size_t i = 0; i < shape.size(); ++i) {
      int64_t& dim = out[rank - shape.size() + i];
      if (shape[i] == dim || shape[i] == 1) continue;
      if (dim != 1) return std::nullopt;
      dim = shape[i];
    }
  return out;
}

// The flat index into `shape` (broadcast to `out`) of the output element at `index`.
int64_t BroadcastIndex(const Dims& out, const Dims& shape, int64_t index) {
  const Dims out_strides = Strides(out), strides = Strides(shape);
  int64_t flat = 0;
  const size_t offset = out.size() - shape.size();
  for (size_t i = 0; i < out.size(); ++i) {
    const int64_t coordinate = (index / out_strides[i]) % out[i];
    if (i >= offset && shape[i - offset] != 1) flat += coordinate * strides[i - offset];
  }
  return flat;
}

// ONNX Mod: the sign of the divisor (Python's %), or of the dividend with fmod = 1 (C's fmod).
std::optional<double> Modulo(double x, double y, bool fmod) {
  if (y == 0) return std::nullopt;
  return fmod ? std::fmod(x, y) : x - std::floor(x / y) * y;
}

std::optional<Tensor> Elementwise(const std::string& op, const std::vector<const Tensor*>& in,
                                  bool fmod = false) {
  std::vector<Dims> shapes;
  for (const Tensor* tensor : in) shapes.push_back(tensor->dims);
  const std::optional<Dims> out = Broadcast(shapes);
  if (!out) return std::nullopt;
  Tensor result;
  result.dims = *out;
  result.type = op == "Equal" || op == "Not" ? onnx::TensorProto::BOOL
                : op == "Where"              ? in[1]->type
                                             : in[0]->type;
  const bool integer = IsInteger(result.type);
  const int64_t count = Count(*out);
  for (int64_t i = 0; i < count; ++i) {
    std::vector<double> x;
    for (const Tensor* tensor : in) x.push_back(tensor->values[BroadcastIndex(*out, tensor->dims, i)]);
    double value = 0;
    if (op == "Add") value = x[0] + x[1];
    if (op == "Sub") value = x[0] - x[1];
    if (op == "Mul") value = x[0] * x[1];
    if (op == "Div") {
      if (x[1] == 0) return std::nullopt;
      value = integer ? std::trunc(x[0] / x[1]) : x[0] / x[1];
    }
    if (op == "Mod") {
      const std::optional<double> remainder = Modulo(x[0], x[1], fmod);
      if (!remainder) return std::nullopt;
      value = *remainder;
    }
    if (op == "Pow") value = std::pow(x[0], x[1]);
    if (op == "Not") value = x[0] == 0 ? 1 : 0;
    if (op == "Equal") value = x[0] == x[1] ? 1 : 0;
    if (op == "Where") value = x[0] != 0 ? x[1] : x[2];
    if (op == "Expand") value = x[0];
    result.values.push_back(value);
  }
  return result;
}

int64_t Axis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

// Transpose of a constant (swin's padding arithmetic transposes its pads): `perm` or the reversed axes.
std::optional<Tensor> Transpose(const onnx::NodeProto& node, const Tensor& x) {
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  if (Count(x.dims) > kMaxFoldedValues || static_cast<int64_t>(x.values.size()) != Count(x.dims))
    return std::nullopt;
  Dims perm = IntsAttribute(node, "perm").value_or(Dims{});
  if (perm.empty())
    for (int64_t i = rank - 1; i >= 0; --i) perm.push_back(i);
  Dims sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (int64_t i = 0; i < rank; ++i)
    if (static_cast<int64_t>(sorted.size()) != rank || sorted[i] != i) return std::nullopt;
  Tensor result;
  result.type = x.type;
  for (int64_t axis : perm) result.dims.push_back(x.dims[axis]);
  const Dims in_strides = Strides(x.dims), out_strides = Strides(result.dims);
  const int64_t count = Count(result.dims);
  result.values.resize(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    int64_t from = 0;
    for (int64_t k = 0; k < rank; ++k) from += ((i / out_strides[k]) % result.dims[k]) * in_strides[perm[k]];
    result.values[i] = x.values[from];
  }
  return result;
}

// ScatterND of constants (swin's shifted-window mask: region numbers written into a zero mask): each index
// tuple (the last axis of `indices`, k long) selects a slice of `data` of its trailing rank − k axes, which
// the matching slice of `updates` replaces. Out-of-range indices are left unfolded (the importer reports).
std::optional<Tensor> ScatterNd(const Tensor& data, const Tensor& indices, const Tensor& updates) {
  if (indices.dims.empty() || Count(data.dims) > kMaxFoldedValues ||
      static_cast<int64_t>(data.values.size()) != Count(data.dims) ||
      static_cast<int64_t>(indices.values.size()) != Count(indices.dims) ||
      static_cast<int64_t>(updates.values.size()) != Count(updates.dims))
    return std::nullopt;
  const int64_t k = indices.dims.back(), rank = static_cast<int64_t>(data.dims.size());
  if (k < 1 || k > rank) return std::nullopt;
  const Dims strides = Strides(data.dims);
  const int64_t slice = strides[k - 1], tuples = Count(indices.dims) / k;
  if (Count(updates.dims) != tuples * slice) return std::nullopt;
  Tensor result = data;
  for (int64_t t = 0; t < tuples; ++t) {
    int64_t offset = 0;
    for (int64_t a = 0; a < k; ++a) {
      const int64_t index = Axis(static_cast<int64_t>(indices.values[t * k + a]), data.dims[a]);
      if (index < 0 || index >= data.dims[a]) return std::nullopt;
      offset += index * strides[a];
    }
    std::copy_n(updates.values.begin() + t * slice, slice, result.values.begin() + offset);
  }
  return result;
}

std::optional<Tensor> Gather(const onnx::NodeProto& node, const Tensor& data, const Tensor& indices) {
  const int64_t rank = static_cast<int64_t>(data.dims.size());
  const int64_t axis = Axis(IntAttribute(node, "axis", 0), rank);
  if (axis < 0 || axis >= rank) return std::nullopt;
  Tensor result;
  result.type = data.type;
  result.dims.assign(data.dims.begin(), data.dims.begin() + axis);
  result.dims.insert(result.dims.end(), indices.dims.begin(), indices.dims.end());
  result.dims.insert(result.dims.end(), data.dims.begin() + axis + 1, data.dims.end());
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= data.dims[i];
  for (int64_t i = axis + 1; i < rank; ++i) inner *= data.dims[i];
  const int64_t extent = data.dims[axis];
  for (int64_t o = 0; o < outer; ++o)
    for (double raw : indices.values) {
      int64_t index = static_cast<int64_t>(raw);
      if (index < 0) index += extent;
      if (index < 0 || index >= extent) return std::nullopt;
      for (int64_t i = 0; i < inner; ++i)
        result.values.push_back(data.values[(o * extent + index) * inner + i]);
    }
  return result;
}

std::optional<Tensor> Concat(const onnx::NodeProto& node, const std::vector<const Tensor*>& in) {
  const int64_t rank = static_cast<int64_t>(in[0]->dims.size());
  const int64_t axis = Axis(IntAttribute(node, "axis", 0), rank);
  if (axis < 0 || axis >= rank) return std::nullopt;
  Tensor result = *in[0];
  result.values.clear();
  result.dims[axis] = 0;
  for (const Tensor* tensor : in) {
    if (static_cast<int64_t>(tensor->dims.size()) != rank) return std::nullopt;
    result.dims[axis] += tensor->dims[axis];
  }
  int64_t outer = 1;
  for (int64_t i = 0; i < axis; ++i) outer *= result.dims[i];
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor* tensor : in) {
      const int64_t block = Count(tensor->dims) / std::max<int64_t>(outer, 1);
      result.values.insert(result.values.end(), tensor->values.begin() + o * block,
                           tensor->values.begin() + (o + 1) * block);
    }
  return result;
}

std::optional<Tensor> Slice(const Tensor& data, Dims starts, Dims ends, std::optional<Dims> axes,
                            std::optional<Dims> steps) {
  const int64_t rank = static_cast<int64_t>(data.dims.size());
  Dims begin(rank, 0), step(rank, 1), out = data.dims;
  if (!axes) {
    axes.emplace();
    for (size_t i = 0; i < starts.size(); ++i) axes->push_back(static_cast<int64_t>(i));
  }
  if (axes->size() != starts.size() || ends.size() != starts.size() ||
      (steps && steps->size() != starts.size()))
    return std::nullopt;
  for (size_t k = 0; k < starts.size(); ++k) {
    const int64_t axis = Axis((*axes)[k], rank);
    if (axis < 0 || axis >= rank) return std::nullopt;
    const int64_t extent = data.dims[axis], s = steps ? (*steps)[k] : 1;
    if (s == 0) return std::nullopt;
    int64_t first = starts[k], last = ends[k];
    if (first < 0) first += extent;
    if (last < 0) last += extent;
    if (s > 0) {
      first = std::clamp<int64_t>(first, 0, extent);
      last = std::clamp<int64_t>(last, 0, extent);
      out[axis] = last > first ? (last - first + s - 1) / s : 0;
    } else {
      first = std::clamp<int64_t>(first, 0, extent - 1);
      last = std::clamp<int64_t>(last, -1, extent - 1);
      out[axis] = first > last ? (first - last - s - 1) / -s : 0;
    }
    begin[axis] = first, step[axis] = s;
  }
  Tensor result;
  result.type = data.type;
  result.dims = out;
  const Dims out_strides = Strides(out), in_strides = Strides(data.dims);
  const int64_t count = Count(out);
  for (int64_t i = 0; i < count; ++i) {
    int64_t flat = 0;
    for (int64_t r = 0; r < rank; ++r)
      flat += (begin[r] + ((i / out_strides[r]) % out[r]) * step[r]) * in_strides[r];
    result.values.push_back(data.values[flat]);
  }
  return result;
}

class Folder {
 public:
  explicit Folder(onnx::ModelProto& model) : model_(model) {
    for (const onnx::OperatorSetIdProto& opset : model.opset_import())
      if (opset.domain().empty() || opset.domain() == "ai.onnx") opset_ = opset.version();
  }

  int Pass() {
    onnx::GraphProto& graph = *model_.mutable_graph();
    shapes_.clear();
    constants_.clear();
    for (const auto* list : {&graph.input(), &graph.value_info(), &graph.output()})
      for (const onnx::ValueInfoProto& info : *list) RecordShape(info);
    stripped_.clear();
    for (const onnx::TensorProto& init : graph.initializer()) {
      shapes_[init.name()] = Dims(init.dims().begin(), init.dims().end());
      Know(init.name(), init);
    }
    int folded = 0;
    for (onnx::NodeProto& node : *graph.mutable_node()) {
      if (node.op_type() == "Constant") {
        Remember(node);
        continue;
      }
      if (node.output_size() != 1 || (!node.domain().empty() && node.domain() != "ai.onnx")) continue;
      use_stripped_ = false;
      std::optional<Tensor> value = Evaluate(node);
      bool stripped = false;
      if (!value && ReadsStripped(node)) {  // the output's shape, its values absent as its input's are
        use_stripped_ = true;
        value = Evaluate(node);
        stripped = true;
      }
      if (!value || Count(value->dims) > kMaxFoldedValues ||
          folded_values_ + Count(value->dims) > kMaxFoldedTotal)
        continue;
      folded_values_ += Count(value->dims);
      const std::string output = node.output(0), name = node.name();
      node.Clear();
      node.set_op_type("Constant");
      node.set_name(name);
      node.add_output(output);
      onnx::AttributeProto* attribute = node.add_attribute();
      attribute->set_name("value");
      attribute->set_type(onnx::AttributeProto::TENSOR);
      Tensor written = *value;
      if (stripped) written.values.clear();
      *attribute->mutable_t() = ToProto(written, output);
      (stripped ? stripped_ : constants_)[output] = *value;
      shapes_[output] = value->dims;
      ++folded;
    }
    if (folded > 0) DropUnknownShapes(graph);
    return folded;
  }

 private:
  void RecordShape(const onnx::ValueInfoProto& info) {
    if (!info.type().has_tensor_type() || !info.type().tensor_type().has_shape()) return;
    Dims dims;
    for (const auto& dim : info.type().tensor_type().shape().dim()) {
      if (!dim.has_dim_value()) return;  // not static
      dims.push_back(dim.dim_value());
    }
    shapes_[info.name()] = dims;
  }

  void Remember(const onnx::NodeProto& node) {
    const onnx::AttributeProto* value = Attribute(node, "value");
    if (!value || !value->has_t() || node.output_size() != 1) return;
    const onnx::TensorProto& t = value->t();
    shapes_[node.output(0)] = Dims(t.dims().begin(), t.dims().end());
    Know(node.output(0), t);
  }

  // A constant tensor: its values, or, stripped from the file, zeros standing in for them (what is folded
  // from them keeps only its shape).
  void Know(const std::string& name, const onnx::TensorProto& t) {
    const Dims dims(t.dims().begin(), t.dims().end());
    if (Count(dims) > kMaxFoldedValues) return;
    if (auto values = TensorValues(t))
      constants_[name] = {dims, *values, t.data_type()};
    else
      stripped_[name] = {dims, std::vector<double>(static_cast<size_t>(Count(dims)), 0.0), t.data_type()};
  }

  bool ReadsStripped(const onnx::NodeProto& node) const {
    for (const std::string& input : node.input())
      if (stripped_.count(input)) return true;
    return false;
  }

  // Entries shape inference could not complete: inferred again once their inputs are constants.
  static void DropUnknownShapes(onnx::GraphProto& graph) {
    auto* infos = graph.mutable_value_info();
    for (int i = infos->size(); i-- > 0;) {
      const onnx::ValueInfoProto& info = infos->Get(i);
      bool known = info.type().has_tensor_type() && info.type().tensor_type().has_shape();
      if (known)
        for (const auto& dim : info.type().tensor_type().shape().dim()) known = known && dim.has_dim_value();
      if (!known) infos->DeleteSubrange(i, 1);
    }
  }

  const Tensor* Input(const onnx::NodeProto& node, int k) const {
    if (node.input_size() <= k || node.input(k).empty()) return nullptr;
    const auto found = constants_.find(node.input(k));
    if (found != constants_.end()) return &found->second;
    if (!use_stripped_) return nullptr;
    const auto stripped = stripped_.find(node.input(k));
    return stripped == stripped_.end() ? nullptr : &stripped->second;
  }

  // Inputs 0 .. n-1 all constants (optional trailing ones may be absent).
  bool AllConstant(const onnx::NodeProto& node) const {
    for (int k = 0; k < node.input_size(); ++k)
      if (!node.input(k).empty() && !Input(node, k)) return false;
    return node.input_size() > 0;
  }

  std::optional<Tensor> Evaluate(const onnx::NodeProto& node) const {
    const std::string& op = node.op_type();
    if (op == "Shape") {
      const auto found = shapes_.find(node.input(0));
      if (found == shapes_.end()) return std::nullopt;
      const int64_t rank = static_cast<int64_t>(found->second.size());
      const int64_t start = std::clamp<int64_t>(Axis(IntAttribute(node, "start", 0), rank), 0, rank);
      const int64_t end = std::clamp<int64_t>(Axis(IntAttribute(node, "end", rank), rank), 0, rank);
      Tensor shape;
      for (int64_t i = start; i < end; ++i) shape.values.push_back(static_cast<double>(found->second[i]));
      shape.dims = {static_cast<int64_t>(shape.values.size())};
      return shape;
    }
    if (!AllConstant(node)) return std::nullopt;
    const Tensor& x = *Input(node, 0);
    if (op == "Identity") return x;
    if (op == "Cast") {
      Tensor result = x;
      result.type = static_cast<int32_t>(IntAttribute(node, "to", x.type));
      if (IsInteger(result.type))
        for (double& value : result.values) value = std::trunc(value);
      return result;
    }
    if (op == "Unsqueeze" || op == "Squeeze") {
      std::optional<Dims> axes = opset_ >= 13
                                     ? (Input(node, 1) ? std::optional(Ints(*Input(node, 1))) : std::nullopt)
                                     : IntsAttribute(node, "axes");
      Tensor result = x;
      if (op == "Unsqueeze") {
        if (!axes) return std::nullopt;
        const int64_t rank = static_cast<int64_t>(x.dims.size() + axes->size());
        Dims sorted;
        for (int64_t axis : *axes) sorted.push_back(Axis(axis, rank));
        std::sort(sorted.begin(), sorted.end());
        for (int64_t axis : sorted) {
          if (axis < 0 || axis > static_cast<int64_t>(result.dims.size())) return std::nullopt;
          result.dims.insert(result.dims.begin() + axis, 1);
        }
      } else {
        const int64_t rank = static_cast<int64_t>(x.dims.size());
        Dims kept;
        for (int64_t i = 0; i < rank; ++i) {
          const bool named = axes ? std::any_of(axes->begin(), axes->end(),
                                                [&](int64_t axis) { return Axis(axis, rank) == i; })
                                  : x.dims[i] == 1;
          if (!named) kept.push_back(x.dims[i]);
        }
        result.dims = kept;
      }
      return result;
    }
    if (op == "Concat") {
      std::vector<const Tensor*> in;
      for (int k = 0; k < node.input_size(); ++k) in.push_back(Input(node, k));
      return Concat(node, in);
    }
    if (op == "Gather") return Gather(node, x, *Input(node, 1));
    if (op == "Slice") {
      if (opset_ < 10) {
        const auto starts = IntsAttribute(node, "starts"), ends = IntsAttribute(node, "ends");
        if (!starts || !ends) return std::nullopt;
        return Slice(x, *starts, *ends, IntsAttribute(node, "axes"), std::nullopt);
      }
      if (!Input(node, 1) || !Input(node, 2)) return std::nullopt;
      return Slice(x, Ints(*Input(node, 1)), Ints(*Input(node, 2)),
                   Input(node, 3) ? std::optional(Ints(*Input(node, 3))) : std::nullopt,
                   Input(node, 4) ? std::optional(Ints(*Input(node, 4))) : std::nullopt);
    }
    if (op == "ScatterND") {
      const onnx::AttributeProto* reduction = Attribute(node, "reduction");
      if (!Input(node, 1) || !Input(node, 2) || (reduction && reduction->s() != "none")) return std::nullopt;
      return ScatterNd(x, *Input(node, 1), *Input(node, 2));
    }
    if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Equal" || op == "Mod" ||
        op == "Pow") {
      if (!Input(node, 1)) return std::nullopt;
      return Elementwise(op, {&x, Input(node, 1)}, IntAttribute(node, "fmod", 0) != 0);
    }
    if (op == "Transpose") return Transpose(node, x);
    if (op == "Not") return Elementwise(op, {&x});
    if (op == "Where") {
      if (!Input(node, 1) || !Input(node, 2)) return std::nullopt;
      return Elementwise(op, {&x, Input(node, 1), Input(node, 2)});
    }
    if (op == "Expand") {
      if (!Input(node, 1)) return std::nullopt;
      Tensor shape;
      shape.dims = Ints(*Input(node, 1));
      shape.values.assign(static_cast<size_t>(std::max<int64_t>(Count(shape.dims), 0)), 0);
      if (Count(shape.dims) < 0 || Count(shape.dims) > kMaxFoldedValues) return std::nullopt;
      return Elementwise(op, {&x, &shape});
    }
    if (op == "Reshape") {
      if (!Input(node, 1)) return std::nullopt;
      Dims dims = Ints(*Input(node, 1));
      const bool allow_zero = IntAttribute(node, "allowzero", 0) != 0;
      int64_t known = 1, unknown = -1;
      for (size_t i = 0; i < dims.size(); ++i) {
        if (dims[i] == 0 && !allow_zero) {
          if (i >= x.dims.size()) return std::nullopt;
          dims[i] = x.dims[i];
        }
        if (dims[i] == -1) {
          if (unknown >= 0) return std::nullopt;
          unknown = static_cast<int64_t>(i);
        } else {
          known *= dims[i];
        }
      }
      if (unknown >= 0) {
        if (known == 0 || Count(x.dims) % known != 0) return std::nullopt;
        dims[unknown] = Count(x.dims) / known;
      }
      if (Count(dims) != Count(x.dims)) return std::nullopt;
      Tensor result = x;
      result.dims = dims;
      return result;
    }
    if (op == "ConstantOfShape") {
      Tensor result;
      result.dims = Ints(x);
      if (Count(result.dims) < 0 || Count(result.dims) > kMaxFoldedValues) return std::nullopt;
      result.type = onnx::TensorProto::FLOAT;
      double fill = 0;
      if (const onnx::AttributeProto* value = Attribute(node, "value"); value && value->has_t()) {
        result.type = value->t().data_type();
        const auto values = TensorValues(value->t());
        if (!values || values->size() != 1) return std::nullopt;
        fill = values->front();
      }
      result.values.assign(static_cast<size_t>(Count(result.dims)), fill);
      return result;
    }
    if (op == "Range") {
      if (!Input(node, 1) || !Input(node, 2) || x.values.size() != 1) return std::nullopt;
      const double start = x.values[0], limit = Input(node, 1)->values.at(0),
                   delta = Input(node, 2)->values.at(0);
      if (delta == 0) return std::nullopt;
      const double steps = std::max(0.0, std::ceil((limit - start) / delta));
      if (steps > kMaxFoldedValues) return std::nullopt;
      Tensor result;
      result.type = x.type;
      for (int64_t i = 0; i < static_cast<int64_t>(steps); ++i) result.values.push_back(start + i * delta);
      result.dims = {static_cast<int64_t>(result.values.size())};
      return result;
    }
    return std::nullopt;
  }

  onnx::ModelProto& model_;
  int64_t opset_ = 13;
  std::map<std::string, Dims> shapes_;
  std::map<std::string, Tensor> constants_;
  std::map<std::string, Tensor> stripped_;  // constants without values in the file (zeros stand in)
  bool use_stripped_ = false;
  int64_t folded_values_ = 0;  // values of the constants folded so far, against kMaxFoldedTotal
};

}  // namespace

std::optional<std::vector<double>> TensorValues(const onnx::TensorProto& t) {
  const int64_t count = Count(Dims(t.dims().begin(), t.dims().end()));
  std::vector<double> values;
  auto take = [&](const auto& field) {
    for (const auto& value : field) values.push_back(static_cast<double>(value));
  };
  take(t.float_data());
  take(t.double_data());
  take(t.int64_data());
  take(t.int32_data());
  take(t.uint64_data());
  if (values.empty() && !t.raw_data().empty()) {
    const std::string& raw = t.raw_data();
    auto read = [&](auto sample) {
      using T = decltype(sample);
      if (raw.size() != static_cast<size_t>(count) * sizeof(T)) return;
      for (int64_t i = 0; i < count; ++i) {
        T value;
        std::memcpy(&value, raw.data() + i * sizeof(T), sizeof(T));
        values.push_back(static_cast<double>(value));
      }
    };
    switch (t.data_type()) {
      case onnx::TensorProto::FLOAT:
        read(float{});
        break;
      case onnx::TensorProto::DOUBLE:
        read(double{});
        break;
      case onnx::TensorProto::INT64:
        read(int64_t{});
        break;
      case onnx::TensorProto::INT32:
        read(int32_t{});
        break;
      case onnx::TensorProto::INT8:
        read(int8_t{});
        break;
      case onnx::TensorProto::UINT8:
      case onnx::TensorProto::BOOL:
        read(uint8_t{});
        break;
      default:
        break;
    }
  }
  if (static_cast<int64_t>(values.size()) != count) return std::nullopt;
  return values;
}

int64_t SaturatedInt64(double value) {
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (value >= kLimit) return std::numeric_limits<int64_t>::max();
  if (value < -kLimit) return std::numeric_limits<int64_t>::min();
  return value == value ? static_cast<int64_t>(value) : 0;  // NaN: no integer; 0 as a stand-in
}

int FoldConstants(onnx::ModelProto& model, const std::function<void(onnx::ModelProto&)>& infer) {
  Folder folder(model);
  int total = 0;
  for (int pass = 0; pass < 64; ++pass) {
    const int folded = folder.Pass();
    if (folded == 0) break;
    total += folded;
    infer(model);
  }
  return total;
}

}  // namespace cyclops::network
