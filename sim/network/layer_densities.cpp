#include "sim/network/layer_densities.h"

#include <cmath>

namespace cyclops::network {

namespace {

// nonzeros / size, nudged down until ceil(density × size) is the nonzeros again: the hypergeometric model
// places ceil(density × size) of them, and the quotient times the size can round up past a whole number.
double DensityOf(int64_t nonzeros, int64_t size) {
  double density = static_cast<double>(nonzeros) / static_cast<double>(size);
  while (density > 0 && std::ceil(density * static_cast<double>(size)) > static_cast<double>(nonzeros))
    density = std::nextafter(density, 0.0);
  return density;
}

}  // namespace

spec::Workload WithMeasuredDensities(const spec::Workload& workload, const std::vector<double>& measured) {
  spec::Workload result = workload;
  bool sparse = false;
  std::vector<spec::DensitySpec> densities(workload.data_spaces.size());
  for (size_t d = 0; d < workload.data_spaces.size() && d < measured.size(); ++d) {
    const int64_t size = workload.DataSpaceSize(static_cast<int>(d));
    const auto nonzeros = static_cast<int64_t>(std::llround(measured[d] * static_cast<double>(size)));
    if (size <= 0 || nonzeros >= size) continue;
    densities[d].distribution = "hypergeometric";
    densities[d].density = DensityOf(nonzeros, size);
    densities[d].where = workload.where;
    sparse = true;
  }
  if (sparse) result.densities = std::move(densities);
  return result;
}

}  // namespace cyclops::network
