// The overlapped SoC timeline (sim/network/soc_timeline.h) on costs chosen to count by hand, and on
// MobileNet-v1 0.5/128 (../shared/reference/networks) with the SoC model's own costs: shorter than the
// serial sum, never shorter than its critical path or any resource's busy time.
#include "sim/network/soc_timeline.h"

#include <gtest/gtest.h>

#include "sim/network/network.h"
#include "sim/network/onnx_importer.h"
#include "tests/support/paths.h"

namespace cyclops::network {
namespace {

spec::NetworkLayerSpec Conv(const std::string& name, const std::string& input) {
  spec::NetworkLayerSpec layer;
  layer.name = name;
  layer.op = "conv";
  layer.inputs = {input};
  layer.problem = {{"C", 2}, {"M", 2}, {"P", 4}, {"Q", 4}};
  return layer;
}

LayerLatency AcceleratorCost() {  // prepare 10, input 20, weights 30, set-up 5, compute 100, write-back 20
  LayerLatency cost;
  cost.host_prepare = 10, cost.dma_in = 20, cost.dma_weights = 30, cost.host_tiles = 5, cost.compute = 100;
  cost.dma_out = 20;
  cost.dma = 70, cost.host = 15;
  return cost;
}

LayerLatency VectorCost() {  // input 20, vector 40, write-back 20
  LayerLatency cost;
  cost.dma_in = 20, cost.vector = 40, cost.dma_out = 20, cost.dma = 40;
  return cost;
}

spec::NetworkSpec Spec(std::vector<spec::NetworkLayerSpec> layers) {
  spec::NetworkSpec spec;
  spec.name = "t";
  spec.input_dims = {1, 2, 4, 4};
  spec.layers = std::move(layers);
  spec.soc.overlap = true;
  return spec;
}

TEST(SocTimeline, ChainByHand) {
  spec::NetworkLayerSpec relu;
  relu.name = "relu", relu.op = "relu", relu.inputs = {"c0"};
  const Network network(Spec({Conv("c0", "input"), relu, Conv("c2", "relu")}));
  const Timeline t =
      OverlapTimeline(network, {AcceleratorCost(), VectorCost(), AcceleratorCost()}, network.soc());
  // c0: prepare [0,10), input DMA [10,30), weights DMA [30,60) (the DMA engine is busy until 30), set-up
  //     [10,15) on the host; compute waits for the weights: [60,160); write-back [160,180)
  EXPECT_EQ(t.layers[0].compute_start, 60);
  EXPECT_EQ(t.layers[0].waited_for, "weights");
  EXPECT_EQ(t.layers[0].end, 180);
  // relu: input [180,200), vector [200,240), write-back [240,260)
  EXPECT_EQ(t.layers[1].compute_start, 200);
  EXPECT_EQ(t.layers[1].end, 260);
  // c2: its weights ([60,90)) and set-up ([15,20)) went ahead into the gaps while c0 computed;
  //     prepare [260,270), input [270,290), compute [290,390), write-back [390,410)
  EXPECT_EQ(t.layers[2].start, 15);
  EXPECT_EQ(t.layers[2].compute_start, 290);
  EXPECT_EQ(t.layers[2].waited_for, "input");
  EXPECT_EQ(t.makespan, 410);
  EXPECT_EQ(t.layers[0].critical + t.layers[1].critical + t.layers[2].critical, 410);
  EXPECT_EQ(t.serial, 185 + 80 + 185);
  // the chain: c0 10 + 20 + 100 + 20, relu 20 + 40 + 20, c2 150 = 380
  EXPECT_EQ(t.critical_path, 380);
}

TEST(SocTimeline, TwoAcceleratorsTakeIndependentLayers) {
  spec::NetworkSpec spec = Spec({Conv("a", "input"), Conv("b", "input")});
  spec.soc.accelerators = 2;
  const Network network(spec);
  const Timeline t = OverlapTimeline(network, {AcceleratorCost(), AcceleratorCost()}, network.soc());
  // a as in the chain: compute [60,160) on accel; b goes to accel1 (free first): prepare [15,25), input
  // [60,80), weights [80,110) after a's transfers, compute [110,210), write-back [210,230)
  EXPECT_EQ(t.layers[0].unit, "accel");
  EXPECT_EQ(t.layers[1].unit, "accel1");
  EXPECT_EQ(t.layers[1].compute_start, 110);
  EXPECT_EQ(t.makespan, 230);
  spec.soc.accelerators = 1;  // one accelerator: b computes after a, [160,260), write-back [260,280)
  const Network one(spec);
  EXPECT_EQ(OverlapTimeline(one, {AcceleratorCost(), AcceleratorCost()}, one.soc()).makespan, 280);
}

TEST(SocTimeline, MobileNetOverlappedIsShorterThanSerialNeverThanItsCriticalPath) {
  Network network(ImportOnnx(test::ReferenceDir() + "/networks/mobilenet_v1_0.5_128.onnx", false).network);
  spec::SocSpec soc;
  soc.overlap = true;
  std::vector<LayerLatency> costs;
  int64_t dma = 0, host = 0, accel = 0;
  for (const NetworkLayer& layer : network.layers()) {
    // compute at the 168 MACs of Eyeriss v2 and 4 outermost tiles per layer: a stand-in for a run
    const int64_t compute = (layer.macs + 167) / 168;
    costs.push_back(LayerCost(layer, soc, 8, compute, compute, 4));
    dma += costs.back().dma, host += costs.back().host, accel += costs.back().compute;
  }
  const Timeline t = OverlapTimeline(network, costs, soc);
  EXPECT_LT(t.makespan, t.serial);
  EXPECT_GE(t.makespan, t.critical_path);
  EXPECT_GE(t.makespan, dma);  // one DMA engine: its transfers never overlap
  EXPECT_GE(t.makespan, host);
  EXPECT_GE(t.makespan, accel);
  int64_t critical = 0;
  for (const TimelineLayer& layer : t.layers) critical += layer.critical;
  EXPECT_EQ(critical, t.makespan);
}

}  // namespace
}  // namespace cyclops::network
