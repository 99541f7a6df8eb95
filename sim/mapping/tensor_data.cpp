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

Tensor ReferenceResult(const spec::Workload& workload, const std::vector<Tensor>& tensors, int psum_bits) {
  const OperandRoles roles = RolesOf(workload);
  Tensor result = tensors[roles.result];
  std::fill(result.values.begin(), result.values.end(), 0);
  const std::vector<int64_t> a_stride = AddressStrides(workload, roles.first, tensors[roles.first]);
  const std::vector<int64_t> b_stride = AddressStrides(workload, roles.second, tensors[roles.second]);
  const std::vector<int64_t> r_stride = AddressStrides(workload, roles.result, result);
  const int dims = static_cast<int>(workload.dimensions.size());
  const int64_t* a = tensors[roles.first].values.data();
  const int64_t* b = tensors[roles.second].values.data();
  int64_t* r = result.values.data();
  // Odometer over the operation space; the innermost dimension runs as a tight loop.
  std::vector<int64_t> index(dims, 0);
  int64_t a_address = 0, b_address = 0, r_address = 0;
  const int inner = dims - 1;
  const int64_t inner_bound = workload.bounds[inner];
  while (true) {
    for (int64_t i = 0; i < inner_bound; ++i)
      r[r_address + i * r_stride[inner]] +=
          a[a_address + i * a_stride[inner]] * b[b_address + i * b_stride[inner]];
    int d = inner - 1;
    for (; d >= 0; --d) {
      ++index[d];
      a_address += a_stride[d];
      b_address += b_stride[d];
      r_address += r_stride[d];
      if (index[d] < workload.bounds[d]) break;
      a_address -= a_stride[d] * index[d];
      b_address -= b_stride[d] * index[d];
      r_address -= r_stride[d] * index[d];
      index[d] = 0;
    }
    if (d < 0) break;
  }
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
