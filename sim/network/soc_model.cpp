#include "sim/network/soc_model.h"

#include <cmath>

#include "sim/network/mac_layer.h"

namespace cyclops::network {

namespace {

int64_t Ceil(double value) {
  return static_cast<int64_t>(std::ceil(value));
}

int64_t Bytes(const Shape& shape, int value_bits) {
  return Ceil(shape.Elements() * value_bits / 8.0);
}

}  // namespace

LayerLatency LayerCost(const NetworkLayer& layer, const spec::SocSpec& soc, int value_bits,
                       int64_t simulated_cycles, int64_t compute_cycles, int64_t tiles) {
  LayerLatency latency;
  auto dma = [&](int64_t bytes) { return soc.dma_setup_cycles + Ceil(bytes / soc.dma_bytes_per_cycle); };
  switch (layer.kernel->Where()) {
    case Placement::kAccelerator: {
      const MacTraffic traffic = Traffic(layer.spec, value_bits);
      latency.compute = compute_cycles;
      latency.stalls = simulated_cycles - compute_cycles;
      latency.dma_in = dma(traffic.input_bytes);
      latency.dma_weights = dma(traffic.weight_bytes);
      latency.dma_out = dma(traffic.output_bytes);
      latency.dma = latency.dma_in + latency.dma_weights + latency.dma_out;
      latency.host_prepare = Ceil(traffic.input_bytes * soc.host_cycles_per_byte);
      latency.host_tiles = tiles * soc.host_cycles_per_tile;
      latency.host = latency.host_prepare + latency.host_tiles;
      break;
    }
    case Placement::kNonMac:
      if (soc.non_mac_unit == "vector") {
        latency.vector = soc.vector_setup_cycles + Ceil(layer.operations / soc.vector_ops_per_cycle);
        for (const Shape& input : layer.input_shapes) latency.dma_in += dma(Bytes(input, value_bits));
        latency.dma_out = dma(Bytes(layer.output, value_bits));
        latency.dma = latency.dma_in + latency.dma_out;
      } else {
        latency.host = Ceil(layer.operations / soc.host_ops_per_cycle);
      }
      break;
    case Placement::kView:
      break;
  }
  return latency;
}

}  // namespace cyclops::network
