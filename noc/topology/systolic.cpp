// "systolic": a 2-D systolic array of the TPU / Gemmini kind (Jouppi et al., ISCA 2017; Genc et al.,
// DAC 2021). `rows` × `columns` PEs linked only to their neighbours, each data type one way:
//   - iacts enter each row at its west end from the row's GLB bank and move east, PE to PE;
//   - weights enter each column at its north end from the column's GLB bank and move south;
//   - psums move south, PE to PE, and leave each column at its south end into the column's psum bank
//     (a partial sum passing a PE is added to, so a reduction down a column crosses each link once).
// Nothing moves west or north, and psums never enter the array: a dataflow must finish its psums inside
// the array (output stationary: each PE accumulates its own output; weight stationary: psums reduced down
// the columns). The same links serve both; the architecture's mapping chooses.
// Banks: `rows` iact banks on the west edge, `columns` weight banks on the north edge and `columns` psum
// banks on the south edge, all parts of the array's one GLB (cluster (-1, -1)). The off-chip port reaches
// every iact and weight bank through one shared out port (one bus: a word can go to any set of banks at
// once), and each psum bank writes back to it through its own port; psums never come back from DRAM.
//
// Parameters: rows, columns (16: Gemmini's default DIM), iact_width_bits (8), weight_width_bits (8),
// psum_width_bits (32: int8 operands, int32 accumulation, as in the TPU and Gemmini), offchip_width_bits
// (128: Gemmini's 128-bit DMA bus), link_latency_cycles (1), buffer_depth (kDefaultBufferDepth).
// PE ports, in and out: 0 iact (west in, east out), 1 weight (north in, south out), 2 psum (north in, south
// out); edge PEs leave the ports without a neighbour unconnected. PE (x, y) is at local (x, y).
#include "noc/topology/topology_builder.h"

namespace cyclops::noc::topology {
namespace {

constexpr char kName[] = "systolic";
enum PePort { kIactPort = 0, kWeightPort = 1, kPsumPort = 2, kPePorts = 3 };

std::string Indexed(const char* what, int i) {
  return std::string(what).append(std::to_string(i));
}
std::string PeName(int x, int y) {
  return std::string("pe").append(std::to_string(x)).append("_").append(std::to_string(y));
}

class SystolicBuilder : public TopologyBuilder {
 public:
  Topology Build(const TopologyParams& params) const override {
    ParamReader reader(kName, params);
    const int rows = reader.DefaultInt("rows", 16, 1);
    const int columns = reader.DefaultInt("columns", 16, 1);
    const int iact_bits = reader.DefaultInt("iact_width_bits", 8, 1);
    const int weight_bits = reader.DefaultInt("weight_width_bits", 8, 1);
    const int psum_bits = reader.DefaultInt("psum_width_bits", 32, 1);
    const int offchip_bits = reader.DefaultInt("offchip_width_bits", 128, 1);
    const int latency = reader.LinkLatency();
    const int depth = reader.BufferDepth();
    reader.RejectUnread();

    TopologyDraft draft;
    const GridCoord whole_array{-1, -1};
    const NodeId offchip = draft.AddNode(NodeKind::kOffchipPort, DataTypeSet::All(), "offchip", whole_array);
    std::vector<NodeId> pe(static_cast<size_t>(rows) * columns);
    auto at = [&](int x, int y) { return pe[static_cast<size_t>(y) * columns + x]; };
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < columns; ++x)
        pe[static_cast<size_t>(y) * columns + x] =
            draft.AddNode(NodeKind::kPe, DataTypeSet::All(), PeName(x, y), {}, {x, y}, kPePorts, kPePorts);
    std::vector<NodeId> iact_bank, weight_bank, psum_bank;
    for (int y = 0; y < rows; ++y)
      iact_bank.push_back(
          draft.AddNode(NodeKind::kGlbBank, DataType::kIact, Indexed("glb.iact", y), whole_array, {y, 0}));
    for (int x = 0; x < columns; ++x)
      weight_bank.push_back(draft.AddNode(NodeKind::kGlbBank, DataType::kWeight, Indexed("glb.weight", x),
                                          whole_array, {x, 0}));
    for (int x = 0; x < columns; ++x)
      psum_bank.push_back(
          draft.AddNode(NodeKind::kGlbBank, DataType::kPsum, Indexed("glb.psum", x), whole_array, {x, 0}));

    for (int y = 0; y < rows; ++y) {
      draft.AddLink(iact_bank[y], at(0, y), DataType::kIact, iact_bits, latency, depth, 0, kIactPort);
      for (int x = 0; x + 1 < columns; ++x)
        draft.AddLink(at(x, y), at(x + 1, y), DataType::kIact, iact_bits, latency, depth, kIactPort,
                      kIactPort);
    }
    for (int x = 0; x < columns; ++x) {
      draft.AddLink(weight_bank[x], at(x, 0), DataType::kWeight, weight_bits, latency, depth, 0, kWeightPort);
      for (int y = 0; y + 1 < rows; ++y) {
        draft.AddLink(at(x, y), at(x, y + 1), DataType::kWeight, weight_bits, latency, depth, kWeightPort,
                      kWeightPort);
        draft.AddLink(at(x, y), at(x, y + 1), DataType::kPsum, psum_bits, latency, depth, kPsumPort,
                      kPsumPort);
      }
      draft.AddLink(at(x, rows - 1), psum_bank[x], DataType::kPsum, psum_bits, latency, depth, kPsumPort, 0);
    }
    // The off-chip bus: one out port to every iact and weight bank, and each psum bank's own port back.
    // No link carries psums from DRAM into the GLB: they would give a column's psums a detour into another
    // column's bank through DRAM, and finished outputs never need to come back. Bank ports: iact and weight
    // banks in 0 from the bus, out 0 into the array; psum banks in 0 from the array, out 0 to the bus.
    for (NodeId bank : iact_bank)
      draft.AddLink(offchip, bank, DataType::kIact, offchip_bits, latency, depth, 0, 0);
    for (NodeId bank : weight_bank)
      draft.AddLink(offchip, bank, DataType::kWeight, offchip_bits, latency, depth, 0, 0);
    for (NodeId bank : psum_bank)
      draft.AddLink(bank, offchip, DataType::kPsum, offchip_bits, latency, depth, 0, 0);
    return draft.Finish(kName);
  }
};

}  // namespace

CYCLOPS_REGISTER_TOPOLOGY(kName, SystolicBuilder);

}  // namespace cyclops::noc::topology
