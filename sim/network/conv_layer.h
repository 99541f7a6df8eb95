// A conv or fc layer as a Timeloop problem of the GroupedConv shape that configs/workloads/layers/ uses
// (dims G, C, M, R, S, N, P, Q; C and M per group; P is the output width, Q the output height, N the batch),
// and the host's layout transforms around it:
//   - in: the [N][channels][y][x] activation is zero-padded (pad_top/pad_left before, the rest implied by
//     P and Q) and transposed into the problem's Inputs tensor [N][G][C][x][y] (Inputs' W rank is
//     R·Wdilation + P·Wstride); fc reads its input flattened per batch item ([N][C], channel-major);
//   - out: the Outputs tensor [N][G][M][Q][P] is already [N][channel][y][x] (fc: [N][M]); requantised as
//     mac_layer.h says.
#pragma once

#include <map>
#include <string>

#include "sim/network/activation.h"
#include "sim/network/op_kernel.h"
#include "sim/spec/specs.h"

namespace cyclops::network {

// The problem instance with every default filled in (G = N = R = S = P = Q = 1, strides and dilations 1).
std::map<std::string, int64_t> FullInstance(const spec::NetworkLayerSpec& layer);

// Padding before and after each spatial axis; `pad` sets all four, pad_top/pad_bottom/pad_left/pad_right
// one each (ONNX's asymmetric pads and auto_pad SAME_*).
struct Pads {
  int64_t top = 0, bottom = 0, left = 0, right = 0;
};
Pads PadsOf(const spec::NetworkLayerSpec& layer);

namespace conv {
int64_t Macs(const spec::NetworkLayerSpec& layer);
std::string ProblemYaml(const spec::NetworkLayerSpec& layer);
std::vector<int64_t> PackInputs(const spec::NetworkLayerSpec& layer, const spec::Workload& workload,
                                const Activation& input);
Shape OutputShape(const spec::NetworkLayerSpec& layer);
}  // namespace conv

}  // namespace cyclops::network
