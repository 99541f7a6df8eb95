// Small hand-built specs and boxes that several unit tests reason about by hand.
#pragma once

#include <cstdint>

#include "sim/analysis/loop_nest.h"
#include "sim/spec/specs.h"

namespace cyclops::test {

// Conv1D: dimensions R, P (P innermost); Weights[R], Inputs[R + P], Outputs[P] (read-write).
inline spec::Workload Conv1D(int64_t r, int64_t p) {
  spec::Workload workload;
  workload.name = "conv1d";
  workload.dimensions = {"R", "P"};
  workload.bounds = {r, p};
  workload.data_spaces = {{"Weights", {{{0, -1}}}, false},
                          {"Inputs", {{{0, -1}, {1, -1}}}, false},
                          {"Outputs", {{{1, -1}}}, true}};
  return workload;
}

// A 2-rank box [row_low, row_high] x [col_low, col_high].
inline analysis::DataBox Box(int64_t row_low, int64_t row_high, int64_t col_low, int64_t col_high) {
  analysis::DataBox box;
  box.ranks = 2;
  box.low[0] = row_low, box.high[0] = row_high;
  box.low[1] = col_low, box.high[1] = col_high;
  return box;
}

}  // namespace cyclops::test
