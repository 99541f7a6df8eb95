// Einsum as the MatMul it spells: attention written with torch.einsum (MaxViT's "bghid,bghjd->bghij" Q·Kᵀ and
// "bghij,bghjd->bghid" P·V) becomes MatMul — after a Transpose of the second operand's last two axes for
// the Kᵀ form — before the importer reads the graph, so it is mapped onto the accelerator like any batched
// GEMM. Equations of another shape are left as Einsum, which the importer refuses naming the node.
#pragma once

#include <onnx/onnx_pb.h>

#include <optional>
#include <string>

namespace cyclops::network {

// What an equation is: a batched matmul of its two operands, the second transposed or not; empty otherwise.
// Spaces are ignored; every term must be letters, the batch letters shared by all three terms in one order.
struct EinsumMatMul {
  bool transpose_second = false;
  int rank = 0;  // of every term: the batch letters and the matrix's two
};
std::optional<EinsumMatMul> EinsumAsMatMul(const std::string& equation);

// Rewrites every such Einsum node of `model`'s graph in place; returns how many.
int RewriteEinsumAsMatMul(onnx::ModelProto& model);

}  // namespace cyclops::network
