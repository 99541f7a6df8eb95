#include "sim/spec/shape_checks.h"

#include "sim/core/checked_math.h"

namespace cyclops::spec {

namespace {

const char* const kValid = "bounds whose products (the MAC count, each data space's size) stay below 2^63";

SourceLocation BoundWhere(const Workload& workload, int dimension) {
  if (static_cast<size_t>(dimension) < workload.bound_where.size()) return workload.bound_where[dimension];
  return workload.where;
}

[[noreturn]] void Overflow(const Workload& workload, int dimension, const std::string& what) {
  throw SpecError(BoundWhere(workload, dimension),
                  what + " exceeds 2^63 at dimension " + workload.dimensions[dimension] + " = " +
                      std::to_string(workload.bounds[dimension]),
                  kValid);
}

// The dimensions a rank projects, e.g. "R+P", for messages.
std::string RankLabel(const Workload& workload, const ProjectionExpression& expression) {
  std::string label;
  for (const ProjectionTerm& term : expression)
    label += (label.empty() ? "" : "+") + workload.dimensions[term.dimension];
  return label;
}

}  // namespace

void CheckWorkloadFits(const Workload& workload) {
  int64_t operations = 1;
  for (size_t d = 0; d < workload.bounds.size(); ++d) {
    auto product = CheckedMul(operations, workload.bounds[d]);
    if (!product) Overflow(workload, static_cast<int>(d), "the operation count (product of all bounds)");
    operations = *product;
  }
  for (const DataSpaceSpec& space : workload.data_spaces) {
    int64_t size = 1;
    for (const ProjectionExpression& expression : space.projection) {
      int64_t max_coordinate = 0;
      const std::string rank = space.name + "[" + RankLabel(workload, expression) + "]";
      for (const ProjectionTerm& term : expression) {
        auto step = CheckedMul(workload.Coefficient(term), workload.bounds[term.dimension] - 1);
        auto sum = step ? CheckedAdd(max_coordinate, *step) : std::nullopt;
        if (!sum || *sum == INT64_MAX) Overflow(workload, term.dimension, "the extent of " + rank);
        max_coordinate = *sum;
      }
      auto product = CheckedMul(size, max_coordinate + 1);
      if (!product) Overflow(workload, expression.back().dimension, "the size of data space " + space.name);
      size = *product;
    }
  }
}

}  // namespace cyclops::spec
