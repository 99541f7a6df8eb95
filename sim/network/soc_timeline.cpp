#include "sim/network/soc_timeline.h"

#include <algorithm>
#include <map>

#include "sim/network/matmul_layer.h"

namespace cyclops::network {

namespace {

// Busy intervals, sorted; Book finds the earliest gap of `duration` at or after `ready`.
class Calendar {
 public:
  int64_t Book(int64_t ready, int64_t duration) {
    if (duration <= 0) return ready;
    int64_t start = ready;
    auto it = busy_.begin();
    for (; it != busy_.end(); ++it) {
      if (it->second <= start) continue;         // ends before the candidate start
      if (it->first >= start + duration) break;  // the gap before it fits
      start = std::max(start, it->second);
    }
    busy_.insert(std::upper_bound(busy_.begin(), busy_.end(), std::pair{start, start + duration}),
                 {start, start + duration});
    return start;
  }
  int64_t free_at() const { return busy_.empty() ? 0 : busy_.back().second; }

 private:
  std::vector<std::pair<int64_t, int64_t>> busy_;
};

}  // namespace

Timeline OverlapTimeline(const Network& network, const std::vector<LayerLatency>& latencies,
                         const spec::SocSpec& soc) {
  const size_t count = network.layers().size();
  Timeline timeline;
  timeline.layers.resize(count);
  Calendar dma, host, vector;
  std::vector<Calendar> accelerators(std::max<int64_t>(1, soc.accelerators));
  // Per unit, the compute ends of its last two layers (its two buffers).
  std::map<std::string, std::vector<int64_t>> compute_ends;
  std::vector<int64_t> done(count, 0), path(count, 0);
  int64_t horizon = 0;
  for (size_t k = 0; k < count; ++k) {
    const NetworkLayer& layer = network.layers()[k];
    const LayerLatency& cost = latencies[k];
    TimelineLayer& row = timeline.layers[k];
    int64_t ready = 0, chain = 0;
    for (int source : layer.inputs)
      if (source != kNetworkInput)
        ready = std::max(ready, done[source]), chain = std::max(chain, path[source]);
    auto buffer_free = [&](const std::string& unit) {
      const std::vector<int64_t>& ends = compute_ends[unit];
      return ends.size() >= 2 ? ends[ends.size() - 2] : 0;
    };
    auto finish = [&](const std::string& unit) { compute_ends[unit].push_back(row.compute_end); };
    switch (layer.kernel->Where()) {
      case Placement::kAccelerator: {
        size_t chosen = 0;  // the accelerator free first
        for (size_t a = 1; a < accelerators.size(); ++a)
          if (accelerators[a].free_at() < accelerators[chosen].free_at()) chosen = a;
        row.unit = chosen == 0 ? "accel" : "accel" + std::to_string(chosen);
        const int64_t buffer = buffer_free(row.unit);
        const int64_t prepare = host.Book(ready, cost.host_prepare) + cost.host_prepare;
        const int64_t input = dma.Book(std::max(prepare, buffer), cost.dma_in) + cost.dma_in;
        // a matmul of two activations streams its second input as its weights: it waits for its producer
        const bool weights_produced = layer.spec.op == "matmul" && matmul::TwoActivations(layer.spec);
        const int64_t weights_ready = weights_produced ? std::max(buffer, ready) : buffer;
        const int64_t weights = dma.Book(weights_ready, cost.dma_weights) + cost.dma_weights;
        const int64_t setup = host.Book(buffer, cost.host_tiles) + cost.host_tiles;
        const int64_t want = std::max({input, weights, setup});
        const int64_t busy = cost.compute + cost.stalls;
        row.compute_start = accelerators[chosen].Book(want, busy);
        row.waited_for = row.compute_start > want ? "unit"
                         : want == input          ? "input"
                         : want == weights        ? "weights"
                                                  : "set-up";
        row.compute_end = row.compute_start + busy;
        row.end = dma.Book(row.compute_end, cost.dma_out) + cost.dma_out;
        row.start =
            std::min({prepare - cost.host_prepare, weights - cost.dma_weights, setup - cost.host_tiles});
        finish(row.unit);
        path[k] = chain + cost.host_prepare + std::max(cost.dma_in, weights_produced ? cost.dma_weights : 0) +
                  busy + cost.dma_out;
        break;
      }
      case Placement::kNonMac:
        if (soc.non_mac_unit == "vector") {
          row.unit = "vector";
          const int64_t input = dma.Book(std::max(ready, buffer_free(row.unit)), cost.dma_in) + cost.dma_in;
          row.compute_start = vector.Book(input, cost.vector);
          row.waited_for = row.compute_start > input ? "unit" : "input";
          row.compute_end = row.compute_start + cost.vector;
          row.end = dma.Book(row.compute_end, cost.dma_out) + cost.dma_out;
          row.start = input - cost.dma_in;
          finish(row.unit);
          path[k] = chain + cost.dma_in + cost.vector + cost.dma_out;
        } else {
          row.unit = "host";
          row.compute_start = host.Book(ready, cost.host);
          row.waited_for = row.compute_start > ready ? "unit" : "producers";
          row.compute_end = row.end = row.compute_start + cost.host;
          row.start = row.compute_start;
          path[k] = chain + cost.host;
        }
        break;
      case Placement::kView:
        row.unit = "view";
        row.start = row.compute_start = row.compute_end = row.end = ready;
        row.waited_for = "producers";
        path[k] = chain;
        break;
    }
    done[k] = row.end;
    row.critical = std::max<int64_t>(0, row.end - horizon);
    horizon = std::max(horizon, row.end);
    timeline.serial += cost.total();
    timeline.critical_path = std::max(timeline.critical_path, path[k]);
  }
  timeline.makespan = horizon;
  return timeline;
}

}  // namespace cyclops::network
