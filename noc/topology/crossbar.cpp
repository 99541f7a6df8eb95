// "crossbar": `sources` source nodes (GLB banks) and `destinations` destination nodes (PEs), a direct
// link from every source to every destination, so every route down is one hop, and a return crossbar for
// psums: a link from every destination back to every source. An off-chip port behind the banks.
//
// Ports: each source drives all its links to the destinations through one out port (a word can go to any
// set of destinations at once); each destination has one in port per source (it can take a word from
// every source in the same cycle). Back up, each destination sends through one out port (one word per
// cycle, to whichever sources it addresses) and each source has one in port per destination, so a
// reduction of many PEs' psums into one bank arrives in parallel and is summed at the bank. The off-chip
// port reaches every bank through one shared out port, and every bank has a link back to it (its out port
// 1). Destinations are laid out as a PE array of `pe_columns` columns (the architecture's meshX), row by
// row: destination d is PE (d mod pe_columns, d div pe_columns).
//
// Parameters: sources, destinations (required, >= 1), link_width_bits (required; the links down),
// pe_columns (destinations: one row; must divide destinations), return_width_bits and offchip_width_bits
// (link_width_bits), link_latency_cycles (1), buffer_depth (kDefaultBufferDepth).
#include "noc/topology/topology_builder.h"

namespace cyclops::noc::topology {
namespace {

constexpr char kName[] = "crossbar";

class CrossbarBuilder : public TopologyBuilder {
 public:
  Topology Build(const TopologyParams& params) const override {
    ParamReader reader(kName, params);
    const int sources = reader.RequiredInt("sources", 1);
    const int destinations = reader.RequiredInt("destinations", 1);
    const int bits = reader.RequiredInt("link_width_bits", 1);
    const int columns = reader.DefaultInt("pe_columns", destinations, 1);
    if (destinations % columns != 0)
      reader.Fail(
          "pe_columns",
          std::to_string(columns) + " does not divide destinations (" + std::to_string(destinations) + ")",
          "a divisor of destinations: the PE array's columns (meshX)");
    const int return_bits = reader.DefaultInt("return_width_bits", bits, 1);
    const int offchip_bits = reader.DefaultInt("offchip_width_bits", bits, 1);
    const int latency = reader.LinkLatency();
    const int depth = reader.BufferDepth();
    reader.RejectUnread();

    TopologyDraft draft;
    const DataTypeSet all = DataTypeSet::All();
    for (int s = 0; s < sources; ++s)
      draft.AddNode(NodeKind::kGlbBank, all, "src" + std::to_string(s), {}, {s, 0});
    for (int d = 0; d < destinations; ++d)
      draft.AddNode(NodeKind::kPe, all, "dst" + std::to_string(d), {}, {d % columns, d / columns});
    const NodeId offchip = draft.AddNode(NodeKind::kOffchipPort, all, "offchip", {-1, -1});
    // Source in ports: 0 from the off-chip port, 1 + d from destination d.
    for (int s = 0; s < sources; ++s) {
      for (int d = 0; d < destinations; ++d) draft.AddLink(s, sources + d, all, bits, latency, depth, 0, s);
      for (int d = 0; d < destinations; ++d)
        draft.AddLink(sources + d, s, DataType::kPsum, return_bits, latency, depth, 0, 1 + d);
      draft.AddLink(offchip, s, all, offchip_bits, latency, depth, 0, 0);
      draft.AddLink(s, offchip, all, offchip_bits, latency, depth, 1, 0);
    }
    return draft.Finish(kName);
  }
};

}  // namespace

CYCLOPS_REGISTER_TOPOLOGY(kName, CrossbarBuilder);

}  // namespace cyclops::noc::topology
