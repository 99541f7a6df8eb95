// The densities a sparse network layer's analysis is given (layer_densities.h), and the pruning of a MAC
// layer's seeded weights in the reference forward pass (conv_ops: PruneDensity).
#include "sim/network/layer_densities.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "sim/mapping/tensor_data.h"
#include "sim/network/mac_layer.h"
#include "sim/network/network.h"

namespace cyclops::network {
namespace {

spec::NetworkLayerSpec Conv() {  // 2 → 3 channels, 3 × 3 filter, 4 × 4 output: 54 weights, 72 inputs
  spec::NetworkLayerSpec layer;
  layer.name = "conv";
  layer.op = "conv";
  layer.problem = {{"G", 1}, {"C", 2}, {"M", 3}, {"R", 3}, {"S", 3}, {"P", 4}, {"Q", 4}};
  return layer;
}

// The hypergeometric model places ceil(density × size) nonzeros: the density handed to it must give back
// exactly the nonzeros counted, for every count of every size (nonzeros / size times size rounds up past a
// whole number for some: 0.07 × 100 = 7.000000000000001).
TEST(LayerDensities, TheHypergeometricModelPlacesExactlyTheNonzerosCounted) {
  const spec::Workload workload = ProblemWorkload(Conv());
  const int weights = workload.DataSpaceIndex("Weights");
  const int64_t size = workload.DataSpaceSize(weights);
  ASSERT_EQ(size, 54);
  for (int64_t nonzeros = 0; nonzeros < size; ++nonzeros) {
    std::vector<double> measured(workload.data_spaces.size(), 1.0);
    measured[weights] = static_cast<double>(nonzeros) / static_cast<double>(size);
    const spec::Workload given = WithMeasuredDensities(workload, measured);
    const spec::DensitySpec density = given.Density(weights);
    EXPECT_EQ(density.distribution, "hypergeometric");
    EXPECT_EQ(std::ceil(density.density * static_cast<double>(size)), static_cast<double>(nonzeros))
        << nonzeros;
    EXPECT_TRUE(given.Density(workload.DataSpaceIndex("Inputs")).IsDense());
  }
  EXPECT_EQ(std::ceil(0.07 * 100), 8.0);  // the rounding the nudge guards against, on this machine
}

TEST(LayerDensities, DenseDataLeavesTheWorkloadWithoutDensities) {
  const spec::Workload workload = ProblemWorkload(Conv());
  const spec::Workload given = WithMeasuredDensities(workload, std::vector<double>(3, 1.0));
  EXPECT_TRUE(given.densities.empty());
}

// --prune keeps the round(d × 54) largest-magnitude weights: the reference kernel's output equals the
// layer recomputed with weights pruned here by hand.
TEST(LayerDensities, ThePrunedReferenceKeepsTheLargestWeights) {
  const spec::NetworkLayerSpec layer = Conv();
  const Activation input = SeededActivation({1, 2, 6, 6}, 5, 8);
  const OpContext dense{8, 32, 9}, pruned{8, 32, 9, 0.25};
  const Activation a = KernelFor(layer).Compute(layer, {&input}, dense);
  const Activation b = KernelFor(layer).Compute(layer, {&input}, pruned);
  EXPECT_NE(a.values, b.values);
  // The weights the reference used: seeded, then 14 of 54 (round(0.25 × 54) = 13.5 → 14) kept.
  const spec::Workload workload = ProblemWorkload(layer);
  std::vector<mapping::Tensor> tensors = mapping::ShapeTensors(workload);
  mapping::FillOperands(workload, 9, 8, tensors);
  // Kept: the 14 of largest magnitude, a tie going to the lower address (the rule sparse_data.h states).
  std::vector<int64_t>& weights = tensors[workload.DataSpaceIndex("Weights")].values;
  std::vector<size_t> order(weights.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    return std::abs(weights[x]) != std::abs(weights[y]) ? std::abs(weights[x]) > std::abs(weights[y]) : x < y;
  });
  for (size_t i = 14; i < order.size(); ++i) weights[order[i]] = 0;
  PackedOperands packed = PackOperands(layer, workload, {&input});
  tensors[workload.DataSpaceIndex("Inputs")].values = packed.inputs;
  const mapping::Tensor psums = mapping::ReferenceResult(workload, tensors, 32);
  EXPECT_EQ(b.values, UnpackOutputs(layer, b.shape, psums.values, 8).values);
}

}  // namespace
}  // namespace cyclops::network
