#include "sim/mapping/tensor_data.h"

#include <algorithm>
#include <random>

#include "sim/core/error.h"

namespace cyclops::mapping {

int64_t Tensor::Address(const std::vector<int64_t>& coordinate) const {
  int64_t address = 0;
  for (size_t r = 0; r < rank_extent.size(); ++r) address = address * rank_extent[r] + coordinate[r];
  return address;
}

std::vector<int64_t> Tensor::Coordinate(int64_t address) const {
  std::vector<int64_t> coordinate(rank_extent.size());
  for (size_t r = rank_extent.size(); r-- > 0;) {
    coordinate[r] = address % rank_extent[r];
    address /= rank_extent[r];
  }
  return coordinate;
}

OperandRoles RolesOf(const spec::Workload& workload) {
  OperandRoles roles;
  for (size_t d = 0; d < workload.data_spaces.size(); ++d) {
    const int index = static_cast<int>(d);
    if (workload.data_spaces[d].read_write) {
      roles.result = roles.result == -1 ? index : -2;  // -2: more than one result
    } else if (roles.first < 0) {
      roles.first = index;
    } else if (roles.second < 0) {
      roles.second = index;
    } else {
      roles.second = -2;
    }
  }
  if (roles.first < 0 || roles.second < 0 || roles.result < 0)
    throw SpecError(workload.where,
                    "simulating with real data needs exactly two read-only data spaces and one "
                    "read-write data space; '" +
                        workload.name + "' has " + std::to_string(workload.data_spaces.size()) +
                        " data spaces",
                    "a multiply-accumulate workload such as a convolution or a matrix multiply");
  return roles;
}

std::vector<int64_t> AddressStrides(const spec::Workload& workload, int data_space, const Tensor& tensor) {
  const auto& projection = workload.data_spaces[data_space].projection;
  std::vector<int64_t> rank_stride(projection.size(), 1);
  for (size_t r = projection.size(); r-- > 1;) rank_stride[r - 1] = rank_stride[r] * tensor.rank_extent[r];
  std::vector<int64_t> strides(workload.dimensions.size(), 0);
  for (size_t r = 0; r < projection.size(); ++r)
    for (const spec::ProjectionTerm& term : projection[r])
      strides[term.dimension] += rank_stride[r] * workload.Coefficient(term);
  return strides;
}

std::vector<Tensor> ShapeTensors(const spec::Workload& workload) {
  std::vector<Tensor> tensors(workload.data_spaces.size());
  for (size_t d = 0; d < tensors.size(); ++d) {
    int64_t size = 1;
    for (const spec::ProjectionExpression& expression : workload.data_spaces[d].projection) {
      int64_t max_coordinate = 0;
      for (const spec::ProjectionTerm& term : expression)
        max_coordinate += workload.Coefficient(term) * (workload.bounds[term.dimension] - 1);
      tensors[d].rank_extent.push_back(max_coordinate + 1);
      size *= max_coordinate + 1;
    }
    tensors[d].values.assign(size, 0);
  }
  return tensors;
}

void FillOperands(const spec::Workload& workload, uint64_t seed, int bits, std::vector<Tensor>& tensors) {
  const OperandRoles roles = RolesOf(workload);
  bits = std::clamp(bits, 1, 32);
  // mt19937_64 is specified exactly by the standard, so the same seed gives the same values everywhere;
  // the distribution is done by hand because std::uniform_int_distribution is not.
  std::mt19937_64 generator(seed);
  const uint64_t span = uint64_t{1} << bits;
  const int64_t lowest = -(int64_t{1} << (bits - 1));
  for (int d : {roles.first, roles.second})
    for (int64_t& value : tensors[d].values) value = lowest + static_cast<int64_t>(generator() % span);
}

namespace {

// The innermost loop of the reference: result[r + i·rs] += a[x + i·as] · b[y + i·bs] for i < n. The strides
// are template parameters where they are 0 or 1 (a value broadcast, a contiguous run), so the common conv
// and matmul inner loops compile to straight-line, vectorisable code.
template <typename Value, typename Sum, int kA, int kB, int kR>
void InnerRun(const Value* a, const Value* b, Sum* r, int64_t n, int64_t as, int64_t bs, int64_t rs) {
  const int64_t sa = kA >= 0 ? kA : as, sb = kB >= 0 ? kB : bs, sr = kR >= 0 ? kR : rs;
  if (sr == 0) {
    Sum sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += static_cast<Sum>(a[i * sa] * b[i * sb]);
    *r += sum;
    return;
  }
  for (int64_t i = 0; i < n; ++i) r[i * sr] += static_cast<Sum>(a[i * sa] * b[i * sb]);
}

template <typename Value, typename Sum>
using InnerFunction = void (*)(const Value*, const Value*, Sum*, int64_t, int64_t, int64_t, int64_t);

template <typename Value, typename Sum, int kA, int kB>
InnerFunction<Value, Sum> PickR(int64_t rs) {
  if (rs == 0) return InnerRun<Value, Sum, kA, kB, 0>;
  if (rs == 1) return InnerRun<Value, Sum, kA, kB, 1>;
  return InnerRun<Value, Sum, kA, kB, -1>;
}
template <typename Value, typename Sum, int kA>
InnerFunction<Value, Sum> PickB(int64_t bs, int64_t rs) {
  if (bs == 0) return PickR<Value, Sum, kA, 0>(rs);
  if (bs == 1) return PickR<Value, Sum, kA, 1>(rs);
  return PickR<Value, Sum, kA, -1>(rs);
}
template <typename Value, typename Sum>
InnerFunction<Value, Sum> PickInner(int64_t as, int64_t bs, int64_t rs) {
  if (as == 0) return PickB<Value, Sum, 0>(bs, rs);
  if (as == 1) return PickB<Value, Sum, 1>(bs, rs);
  return PickB<Value, Sum, -1>(bs, rs);
}

// How well a dimension suits the innermost loop: contiguous result runs first (they stream), then a
// reduction (the sum stays in a register), then contiguous operands, then length.
int64_t InnerScore(int64_t as, int64_t bs, int64_t rs, int64_t bound) {
  if (bound <= 1) return -1;
  int64_t score = 0;
  if (rs == 1) score += 8;
  if (rs == 0) score += 6;
  if (as <= 1) score += 2;
  if (bs <= 1) score += 2;
  return score * 1000000 + std::min<int64_t>(bound, 999999);
}

struct Strides {
  std::vector<int64_t> a, b, r;
};

// Every operation point once: dimension `inner` as the tight loop, an odometer over the others.
template <typename Value, typename Sum>
void Accumulate(const spec::Workload& workload, const Strides& stride, int inner, const Value* a,
                const Value* b, Sum* r) {
  const int dims = static_cast<int>(workload.dimensions.size());
  // The dimensions that move the result outermost, the reductions inside them: the result run the tight
  // loop updates stays in cache while every reduction step adds into it.
  std::vector<int> outer;
  for (bool reduction : {false, true})
    for (int d = 0; d < dims; ++d)
      if (d != inner && workload.bounds[d] > 1 && (stride.r[d] == 0) == reduction) outer.push_back(d);
  const InnerFunction<Value, Sum> run =
      PickInner<Value, Sum>(stride.a[inner], stride.b[inner], stride.r[inner]);
  const int64_t n = workload.bounds[inner];
  std::vector<int64_t> index(outer.size(), 0);
  int64_t a_at = 0, b_at = 0, r_at = 0;
  while (true) {
    run(a + a_at, b + b_at, r + r_at, n, stride.a[inner], stride.b[inner], stride.r[inner]);
    int k = static_cast<int>(outer.size()) - 1;
    for (; k >= 0; --k) {
      const int d = outer[k];
      ++index[k];
      a_at += stride.a[d], b_at += stride.b[d], r_at += stride.r[d];
      if (index[k] < workload.bounds[d]) break;
      a_at -= stride.a[d] * index[k], b_at -= stride.b[d] * index[k], r_at -= stride.r[d] * index[k];
      index[k] = 0;
    }
    if (k < 0) break;
  }
}

bool FitsInt16(const std::vector<int64_t>& values) {
  return std::all_of(values.begin(), values.end(), [](int64_t v) { return v >= -32768 && v <= 32767; });
}

// A data space laid out for the kernel: its ranks in `order` (a permutation, the last varying fastest), so
// that the kernel's tight loop can run along a contiguous rank whatever the tensor's own rank order.
struct KernelLayout {
  std::vector<size_t> order;
  std::vector<int64_t> strides;  // per problem dimension, in this layout
};

// The layout of `data_space` with the rank that `dimension` moves last, when exactly one rank does (else
// the tensor's own).
KernelLayout LayoutFor(const spec::Workload& workload, int data_space, const Tensor& tensor, int dimension) {
  const auto& projection = workload.data_spaces[data_space].projection;
  KernelLayout layout;
  std::vector<size_t> moving;
  for (size_t r = 0; r < projection.size(); ++r) {
    layout.order.push_back(r);
    for (const spec::ProjectionTerm& term : projection[r])
      if (term.dimension == dimension && workload.Coefficient(term) != 0) {
        moving.push_back(r);
        break;
      }
  }
  if (moving.size() == 1) {
    layout.order.erase(layout.order.begin() + static_cast<std::ptrdiff_t>(moving[0]));
    layout.order.push_back(moving[0]);
  }
  std::vector<int64_t> rank_stride(projection.size(), 1);
  int64_t stride = 1;
  for (size_t k = layout.order.size(); k-- > 0;)
    rank_stride[layout.order[k]] = stride, stride *= tensor.rank_extent[layout.order[k]];
  layout.strides.assign(workload.dimensions.size(), 0);
  for (size_t r = 0; r < projection.size(); ++r)
    for (const spec::ProjectionTerm& term : projection[r])
      layout.strides[term.dimension] += rank_stride[r] * workload.Coefficient(term);
  return layout;
}

// For each rank-major offset of `tensor`, its offset in `layout` (the identity when the order is).
std::vector<int64_t> Permutation(const Tensor& tensor, const KernelLayout& layout) {
  const size_t ranks = tensor.rank_extent.size();
  std::vector<int64_t> stride(ranks, 1);  // per rank, in the layout
  int64_t next = 1;
  for (size_t k = ranks; k-- > 0;)
    stride[layout.order[k]] = next, next *= tensor.rank_extent[layout.order[k]];
  std::vector<int64_t> to(tensor.values.size());
  std::vector<int64_t> index(ranks, 0);
  int64_t at = 0;
  for (size_t i = 0; i < to.size(); ++i) {
    to[i] = at;
    for (size_t r = ranks; r-- > 0;) {
      at += stride[r];
      if (++index[r] < tensor.rank_extent[r]) break;
      at -= stride[r] * index[r];
      index[r] = 0;
    }
  }
  return to;
}

// How well dimension d suits the tight loop with every data space laid out for it.
int64_t ScoreInner(const spec::Workload& workload, const OperandRoles& roles,
                   const std::vector<Tensor>& tensors, int d) {
  auto stride = [&](int space) { return LayoutFor(workload, space, tensors[space], d).strides[d]; };
  return InnerScore(stride(roles.first), stride(roles.second), stride(roles.result), workload.bounds[d]);
}

// The kernel in 32-bit arithmetic on 16-bit operands, each data space laid out for the tight loop.
void Accumulate32(const spec::Workload& workload, const OperandRoles& roles,
                  const std::vector<Tensor>& tensors, int inner, Tensor& result, int psum_bits) {
  const KernelLayout la = LayoutFor(workload, roles.first, tensors[roles.first], inner);
  const KernelLayout lb = LayoutFor(workload, roles.second, tensors[roles.second], inner);
  const KernelLayout lr = LayoutFor(workload, roles.result, result, inner);
  auto laid_out = [](const Tensor& tensor, const KernelLayout& layout) {
    std::vector<int16_t> values(tensor.values.size());
    const std::vector<int64_t> to = Permutation(tensor, layout);
    for (size_t i = 0; i < values.size(); ++i) values[to[i]] = static_cast<int16_t>(tensor.values[i]);
    return values;
  };
  const std::vector<int16_t> a = laid_out(tensors[roles.first], la), b = laid_out(tensors[roles.second], lb);
  std::vector<uint32_t> r(result.values.size(), 0);
  Accumulate<int16_t, uint32_t>(workload, Strides{la.strides, lb.strides, lr.strides}, inner, a.data(),
                                b.data(), r.data());
  const std::vector<int64_t> from = Permutation(result, lr);
  for (size_t i = 0; i < r.size(); ++i)
    result.values[i] = WrapToBits(static_cast<int64_t>(static_cast<int32_t>(r[from[i]])), psum_bits);
}

}  // namespace

Tensor ReferenceResult(const spec::Workload& workload, const std::vector<Tensor>& tensors, int psum_bits) {
  const OperandRoles roles = RolesOf(workload);
  Tensor result = tensors[roles.result];
  const int dims = static_cast<int>(workload.dimensions.size());
  const std::vector<int64_t>& a = tensors[roles.first].values;
  const std::vector<int64_t>& b = tensors[roles.second].values;
  if (psum_bits <= 32 && FitsInt16(a) && FitsInt16(b)) {
    // Products of 16-bit values fit 32 bits, and sums wrapped mod 2^32 wrap alike mod 2^psum_bits: 32-bit
    // arithmetic on 16-bit operands gives the same results at four times the vector width of int64.
    int inner = dims - 1;
    int64_t best = ScoreInner(workload, roles, tensors, inner);
    for (int d = 0; d < dims; ++d) {
      const int64_t score = ScoreInner(workload, roles, tensors, d);
      if (score > best) best = score, inner = d;
    }
    Accumulate32(workload, roles, tensors, inner, result, psum_bits);
    return result;
  }
  const Strides stride{AddressStrides(workload, roles.first, tensors[roles.first]),
                       AddressStrides(workload, roles.second, tensors[roles.second]),
                       AddressStrides(workload, roles.result, result)};
  int inner = dims - 1;
  for (int d = 0; d < dims; ++d)
    if (InnerScore(stride.a[d], stride.b[d], stride.r[d], workload.bounds[d]) >
        InnerScore(stride.a[inner], stride.b[inner], stride.r[inner], workload.bounds[inner]))
      inner = d;
  std::fill(result.values.begin(), result.values.end(), 0);
  Accumulate<int64_t, int64_t>(workload, stride, inner, a.data(), b.data(), result.values.data());
  for (int64_t& value : result.values) value = WrapToBits(value, psum_bits);
  return result;
}

std::optional<std::string> FirstMismatch(const spec::Workload& workload, int data_space,
                                         const Tensor& expected, const Tensor& actual) {
  for (size_t i = 0; i < expected.values.size(); ++i) {
    if (i < actual.values.size() && expected.values[i] == actual.values[i]) continue;
    const std::vector<int64_t> coordinate = expected.Coordinate(static_cast<int64_t>(i));
    // Ranks have no names in a Timeloop problem; label each by the dimensions it projects, e.g. "R+P".
    const auto& projection = workload.data_spaces[data_space].projection;
    std::string text = workload.data_spaces[data_space].name + "[";
    for (size_t r = 0; r < coordinate.size(); ++r) {
      std::string label;
      for (const spec::ProjectionTerm& term : projection[r])
        label += (label.empty() ? "" : "+") + workload.dimensions[term.dimension];
      text += (r ? ", " : "") + label + "=" + std::to_string(coordinate[r]);
    }
    text += "]: expected " + std::to_string(expected.values[i]) + ", simulated " +
            (i < actual.values.size() ? std::to_string(actual.values[i]) : std::string("nothing"));
    return text;
  }
  return std::nullopt;
}

}  // namespace cyclops::mapping
