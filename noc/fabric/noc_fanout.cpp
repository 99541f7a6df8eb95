#include "noc/fabric/noc_fanout.h"

#include <algorithm>
#include <cmath>

#include "sim/core/error.h"

namespace cyclops::noc {

namespace {
models::Cycle Arrival(const FabricDelivery& delivery, models::Cycle at) {
  return std::max(at, static_cast<models::Cycle>(std::ceil(delivery.arrival)));
}
}  // namespace

models::Cycle NocFanout::Fill(int d, int group, models::Cycle at, int64_t values, models::Cycle accepted_by) {
  const Routes& routes = routes_.at(static_cast<size_t>(d));
  const size_t g = static_cast<size_t>(group);
  if (values > 0 && !routes.missing_fill.at(g).empty()) throw SimulationError(routes.missing_fill[g]);
  return Arrival(
      fabric_.Send(*routes.fills.at(g), static_cast<double>(at), values, static_cast<double>(accepted_by)),
      at);
}

models::Cycle NocFanout::WriteBack(int d, int group, models::Cycle at, int64_t values) {
  const Routes& routes = routes_.at(static_cast<size_t>(d));
  return Arrival(
      fabric_.Send(*routes.write_backs.at(static_cast<size_t>(group)), static_cast<double>(at), values), at);
}

}  // namespace cyclops::noc
