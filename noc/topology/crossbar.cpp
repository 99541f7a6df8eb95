// "crossbar": `sources` source nodes (GLB banks) and `destinations` destination nodes (PEs), a direct
// link from every source to every destination, so every route is one hop. Each source drives all its
// links through one out port (a word can go to any set of destinations at once); each destination has one
// in port per source (it can take a word from every source in the same cycle).
//
// Parameters: sources, destinations (required, >= 1), link_width_bits (required), link_latency_cycles (1),
// buffer_depth (kDefaultBufferDepth).
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
    const int latency = reader.LinkLatency();
    const int depth = reader.BufferDepth();
    reader.RejectUnread();

    TopologyDraft draft;
    const DataTypeSet all = DataTypeSet::All();
    for (int s = 0; s < sources; ++s)
      draft.AddNode(NodeKind::kGlbBank, all, "src" + std::to_string(s), {}, {s, 0});
    for (int d = 0; d < destinations; ++d)
      draft.AddNode(NodeKind::kPe, all, "dst" + std::to_string(d), {}, {d, 0});
    for (int s = 0; s < sources; ++s) {
      for (int d = 0; d < destinations; ++d) draft.AddLink(s, sources + d, all, bits, latency, depth, 0, s);
    }
    return draft.Finish(kName);
  }
};

}  // namespace

CYCLOPS_REGISTER_TOPOLOGY(kName, CrossbarBuilder);

}  // namespace cyclops::noc::topology
