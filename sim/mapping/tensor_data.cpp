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

// Every operation point once: the chosen dimension as the tight loop, an odometer over the others.
template <typename Value, typename Sum>
void Accumulate(const spec::Workload& workload, const Strides& stride, const Value* a, const Value* b, Sum* r) {
  const int dims = static_cast<int>(workload.dimensions.size());
  int inner = dims - 1;
  for (int d = 0; d < dims; ++d)
    if (InnerScore(stride.a[d], stride.b[d], stride.r[d], workload.bounds[d]) >
        InnerScore(stride.a[inner], stride.b[inner], stride.r[inner], workload.bounds[inner]))
      inner = d;
  std::vector<int> outer;
  for (int d = 0; d < dims; ++d)
    if (d != inner && workload.bounds[d] > 1) outer.push_back(d);
  const InnerFunction<Value, Sum> run = PickInner<Value, Sum>(stride.a[inner], stride.b[inner], stride.r[inner]);
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

}  // namespace

Tensor ReferenceResult(const spec::Workload& workload, const std::vector<Tensor>& tensors, int psum_bits) {
  const OperandRoles roles = RolesOf(workload);
  Tensor result = tensors[roles.result];
  const Strides stride{AddressStrides(workload, roles.first, tensors[roles.first]),
                       AddressStrides(workload, roles.second, tensors[roles.second]),
                       AddressStrides(workload, roles.result, result)};
  const std::vector<int64_t>& a = tensors[roles.first].values;
  const std::vector<int64_t>& b = tensors[roles.second].values;
  if (psum_bits <= 32 && FitsInt16(a) && FitsInt16(b)) {
    // Products of 16-bit values fit 32 bits, and sums wrapped mod 2^32 wrap alike mod 2^psum_bits: 32-bit
    // arithmetic gives the same results at twice the vector width.
    const std::vector<int32_t> a32(a.begin(), a.end()), b32(b.begin(), b.end());
    std::vector<uint32_t> r32(result.values.size(), 0);
    Accumulate<int32_t, uint32_t>(workload, stride, a32.data(), b32.data(), r32.data());
    for (size_t i = 0; i < r32.size(); ++i)
      result.values[i] = WrapToBits(static_cast<int64_t>(static_cast<int32_t>(r32[i])), psum_bits);
    return result;
  }
  std::fill(result.values.begin(), result.values.end(), 0);
  Accumulate<int64_t, int64_t>(workload, stride, a.data(), b.data(), result.values.data());
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
