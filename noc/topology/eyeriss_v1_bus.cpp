// "eyeriss_v1_bus": Eyeriss v1's flat multicast buses (JSSC 2017; ../shared/reference/eyeriss.md).
//
// Per input data type (weight = v1's filter, iact = ifmap, psum): the GLB feeds one Y-bus, the Y-bus feeds
// one X-bus per PE row, each X-bus feeds every PE of its row. A bus is one node whose out links all share
// its single out port: a word on it reaches any set of its members in one cycle (multicast by row/col ID).
// Psums go back through an output network of the same shape in reverse (row X-buses -> Y-bus -> GLB), and
// up each column over local PE-to-PE links (row r+1 -> row r; row 0 is the top). The GLB is one node (its
// banks are the memory model's business) with an off-chip link each way (in: all types, out: psums).
//
// Parameters (defaults from eyeriss.md): rows 12, cols 14, weight_width_bits 64, iact_width_bits 16,
// psum_width_bits 64, output_width_bits 64, local_width_bits 64, offchip_width_bits 64,
// link_latency_cycles 1, buffer_depth kDefaultBufferDepth.
#include "noc/topology/topology_builder.h"

namespace cyclops::noc::topology {
namespace {

constexpr char kName[] = "eyeriss_v1_bus";

class EyerissV1BusBuilder : public TopologyBuilder {
 public:
  Topology Build(const TopologyParams& params) const override {
    ParamReader reader(kName, params);
    const int rows = reader.DefaultInt("rows", 12, 1);
    const int cols = reader.DefaultInt("cols", 14, 1);
    const int input_bits[] = {reader.DefaultInt("iact_width_bits", 16, 1),  // order of kAllDataTypes
                              reader.DefaultInt("weight_width_bits", 64, 1),
                              reader.DefaultInt("psum_width_bits", 64, 1)};
    const int output_bits = reader.DefaultInt("output_width_bits", 64, 1);
    const int local_bits = reader.DefaultInt("local_width_bits", 64, 1);
    const int offchip_bits = reader.DefaultInt("offchip_width_bits", 64, 1);
    const int latency = reader.LinkLatency();
    const int depth = reader.BufferDepth();
    reader.RejectUnread();

    TopologyDraft draft;
    const DataTypeSet all = DataTypeSet::All();
    const DataTypeSet psum = DataType::kPsum;
    auto link = [&](NodeId from, NodeId to, DataTypeSet types, int bits, int from_port, int to_port) {
      draft.AddLink(from, to, types, bits, latency, depth, from_port, to_port);
    };
    auto bus = [&](DataTypeSet types, const std::string& name, int row) {
      return draft.AddNode(NodeKind::kBus, types, name, {}, {0, row}, 1, 1);
    };
    constexpr int kNext = TopologyDraft::kNextPort;

    const NodeId offchip = draft.AddNode(NodeKind::kOffchipPort, all, "offchip");
    const NodeId glb = draft.AddNode(NodeKind::kGlbBank, all, "glb");
    std::vector<NodeId> y_bus;
    std::vector<std::vector<NodeId>> x_bus;  // [data type][row]
    for (DataType type : kAllDataTypes) {
      const std::string prefix = std::string(ToString(type)) + ".";
      y_bus.push_back(bus(type, prefix + "y_bus", 0));
      x_bus.emplace_back();
      for (int r = 0; r < rows; ++r)
        x_bus.back().push_back(bus(type, prefix + "x_bus" + std::to_string(r), r));
    }
    const NodeId out_y_bus = bus(psum, "output.y_bus", 0);
    std::vector<NodeId> out_x_bus;
    for (int r = 0; r < rows; ++r) out_x_bus.push_back(bus(psum, "output.x_bus" + std::to_string(r), r));
    std::vector<NodeId> pe;  // [row * cols + col]
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) {
        pe.push_back(draft.AddNode(NodeKind::kPe, all, "pe" + std::to_string(r) + "_" + std::to_string(c), {},
                                   {c, r}));
      }
    }

    link(offchip, glb, all, offchip_bits, kNext, kNext);
    link(glb, offchip, psum, offchip_bits, kNext, kNext);
    for (std::size_t t = 0; t < std::size(kAllDataTypes); ++t) {
      const DataType type = kAllDataTypes[t];
      link(glb, y_bus[t], type, input_bits[t], kNext, 0);
      for (int r = 0; r < rows; ++r) {
        link(y_bus[t], x_bus[t][r], type, input_bits[t], 0, 0);
        for (int c = 0; c < cols; ++c) link(x_bus[t][r], pe[r * cols + c], type, input_bits[t], 0, kNext);
      }
    }
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) link(pe[r * cols + c], out_x_bus[r], psum, output_bits, kNext, 0);
      link(out_x_bus[r], out_y_bus, psum, output_bits, 0, 0);
    }
    link(out_y_bus, glb, psum, output_bits, 0, kNext);
    for (int r = 1; r < rows; ++r) {
      for (int c = 0; c < cols; ++c)
        link(pe[r * cols + c], pe[(r - 1) * cols + c], psum, local_bits, kNext, kNext);
    }
    return draft.Finish(kName);
  }
};

}  // namespace

CYCLOPS_REGISTER_TOPOLOGY(kName, EyerissV1BusBuilder);

}  // namespace cyclops::noc::topology
