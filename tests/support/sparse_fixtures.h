// Spec files several sparse tests edit the same way.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "tests/support/paths.h"

namespace cyclops::test {

// configs/mappings/eyeriss_v2_sparse_mobilenet_0.5_128_pw4.yaml with the SIMD pair over two output columns P
// instead of two output channels M (the weight spad's M=2 taken from P): the pair then shares one weight read
// while each MAC multiplies its own iact. std::runtime_error when the mapping no longer reads as expected.
inline std::string SparsePw4MappingWithSimdOverP() {
  std::string mapping =
      ReadFile(SourceDir() + "/configs/mappings/eyeriss_v2_sparse_mobilenet_0.5_128_pw4.yaml");
  for (const auto& [from, to] :
       {std::pair<std::string, std::string>{
            "target: weight_spad, type: temporal, factors: P=8, permutation: PGCMRSNQ",
            "target: weight_spad, type: temporal, factors: P=4 M=2, permutation: PMGCRSNQ"},
        {"target: simd, type: spatial, factors: M=2, permutation: MGCRSNPQ",
         "target: simd, type: spatial, factors: P=2, permutation: PGCMRSNQ"}}) {
    const size_t at = mapping.find(from);
    if (at == std::string::npos) throw std::runtime_error("the pw4 mapping has no '" + from + "'");
    mapping.replace(at, from.size(), to);
  }
  return mapping;
}

}  // namespace cyclops::test
