// The checks an ONNX model passes before the importer (sim/network/onnx_importer) lets ONNX's shape
// inference or its own shape arithmetic near it: the file is a readable, non-empty ONNX model with a graph
// and nodes; every node input is produced by a graph input, an initializer or a node, with no cycle (a graph
// whose nodes are merely out of order is put in topological order); names are unique; data types are
// known; initializer and input dims are positive and their products fit; attributes are in range (group,
// strides, dilations, kernel_shape ≥ 1, pads ≥ 0 with one value per side, as many strides as kernel axes,
// no NaN Clip bounds, nothing beyond 2^31); Conv has an input and a weight of the same rank ≥ 3.
// Shape inference itself divides by strides and groups and indexes inputs and dims unchecked, so none of
// this may be left to it. Every failure is a SpecError naming the file, the node and what is valid.
#pragma once

#include <onnx/onnx_pb.h>

#include <string>

namespace cyclops::network {

// Reads and parses `path`; throws SpecError for unreadable, empty, truncated or non-ONNX files.
onnx::ModelProto ReadOnnxModel(const std::string& path);

// Validates the graph (see above) and sorts its nodes topologically; throws SpecError.
void CheckOnnxGraph(const std::string& path, onnx::ModelProto& model);

// The display name of node `index`: its name, or "OpType_index" when it has none.
std::string OnnxNodeName(const onnx::NodeProto& node, int index);

}  // namespace cyclops::network
