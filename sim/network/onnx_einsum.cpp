#include "sim/network/onnx_einsum.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

namespace cyclops::network {
namespace {

bool Distinct(const std::string& term) {
  return std::set<char>(term.begin(), term.end()).size() == term.size();
}

}  // namespace

std::optional<EinsumMatMul> EinsumAsMatMul(const std::string& written) {
  std::string equation;
  for (char c : written)
    if (c != ' ') equation += c;
  const size_t arrow = equation.find("->"), comma = equation.find(',');
  if (arrow == std::string::npos || comma == std::string::npos || comma > arrow) return std::nullopt;
  const std::string a = equation.substr(0, comma), b = equation.substr(comma + 1, arrow - comma - 1),
                    out = equation.substr(arrow + 2);
  const size_t rank = out.size();
  if (rank < 2 || a.size() != rank || b.size() != rank) return std::nullopt;
  for (const std::string* term : {&a, &b, &out})
    if (!Distinct(*term) || !std::all_of(term->begin(), term->end(), [](char c) { return std::isalpha(c); }))
      return std::nullopt;
  const std::string batch = out.substr(0, rank - 2);
  if (a.substr(0, rank - 2) != batch || b.substr(0, rank - 2) != batch) return std::nullopt;
  const char i = out[rank - 2], j = out[rank - 1], k = a[rank - 1];
  if (a[rank - 2] != i || k == i || k == j || batch.find(k) != std::string::npos) return std::nullopt;
  const int terms_rank = static_cast<int>(rank);
  if (b[rank - 2] == k && b[rank - 1] == j)
    return EinsumMatMul{false, terms_rank};  // [.., i, k] × [.., k, j]
  if (b[rank - 2] == j && b[rank - 1] == k)
    return EinsumMatMul{true, terms_rank};  // [.., i, k] × [.., j, k]ᵀ
  return std::nullopt;
}

int RewriteEinsumAsMatMul(onnx::ModelProto& model) {
  onnx::GraphProto& graph = *model.mutable_graph();
  std::vector<onnx::NodeProto> nodes(graph.node().begin(), graph.node().end());
  graph.clear_node();
  int rewritten = 0;
  for (onnx::NodeProto& node : nodes) {
    std::optional<EinsumMatMul> form;
    if (node.op_type() == "Einsum" && node.input_size() == 2 && node.output_size() == 1 &&
        (node.domain().empty() || node.domain() == "ai.onnx"))
      for (const onnx::AttributeProto& attribute : node.attribute())
        if (attribute.name() == "equation") form = EinsumAsMatMul(attribute.s());
    if (!form) {
      *graph.add_node() = std::move(node);
      continue;
    }
    std::string second = node.input(1);
    if (form->transpose_second) {  // Kᵀ: swap the last two axes of the second operand
      onnx::NodeProto& transpose = *graph.add_node();
      transpose.set_op_type("Transpose");
      transpose.set_name(node.name() + "/transpose_b");
      transpose.add_input(second);
      second = node.output(0) + "/transposed_b";
      transpose.add_output(second);
      onnx::AttributeProto& perm = *transpose.add_attribute();
      perm.set_name("perm");
      perm.set_type(onnx::AttributeProto::INTS);
      const int64_t rank = form->rank;
      for (int64_t axis = 0; axis < rank; ++axis)
        perm.add_ints(axis < rank - 2 ? axis : (axis == rank - 2 ? rank - 1 : rank - 2));
    }
    onnx::NodeProto& matmul = *graph.add_node();
    matmul.set_op_type("MatMul");
    matmul.set_name(node.name());
    matmul.add_input(node.input(0));
    matmul.add_input(second);
    matmul.add_output(node.output(0));
    ++rewritten;
  }
  return rewritten;
}

}  // namespace cyclops::network
