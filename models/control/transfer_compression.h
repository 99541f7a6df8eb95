// How one transfer of a layer (a fill engine's TransferProgram) moves compressed data: Sparseloop's
// representation formats at the two levels it connects, resolved by sim/top/sparse_plan. Plain data.
//
// From a parent that stores the data space compressed, only the nonzero values are read and sent, with their
// metadata: the parent's reads (and, for psums written back into it, its updates) of zeros are absent; the
// child fills only the nonzeros when it keeps the data compressed too, else it decompresses and writes every
// value. Storage ports and the network carry the payload plus the metadata words, so their bandwidth sees
// the compression. Metadata is counted for the format's innermost rank: one unit per nonzero for a
// coordinate or run-length rank (cp, rle), one per value for a bitmask (b, ub), of `metadata_bits` each,
// moved in words of the data width; outer offset ranks (uop) are not counted.
#pragma once

#include <cstdint>
#include <vector>

namespace cyclops::models {

struct TransferCompression {
  bool compressed = false;        // the parent stores the data space compressed: the transfer moves nonzeros
  bool child_compressed = false;  // the child keeps it compressed (else it decompresses on arrival)
  bool metadata_per_value = false;  // bitmask: a metadata unit per value, not per nonzero
  int64_t metadata_bits = 0;        // bits of one metadata unit
  int64_t word_bits = 16;           // the data word the metadata travels in

  // Metadata words sent with `nonzeros` of `values`.
  int64_t MetadataWords(int64_t values, int64_t nonzeros) const {
    const int64_t units = metadata_per_value ? values : nonzeros;
    return word_bits > 0 ? (units * metadata_bits + word_bits - 1) / word_bits : 0;
  }
};

// Per transfer of the layer, indexed like LayerProgram::transfers.
struct FillSparsity {
  std::vector<TransferCompression> transfers;
};

}  // namespace cyclops::models
