// "mesh2d": x × y routers, each with a local PE, neighbours linked both ways; every link carries every data
// type. Routes are dimension-ordered (XY: all of the X distance first, then Y), deadlock-free on a mesh,
// and computed by this builder's own routing function rather than a graph search.
//
// Parameters: x, y (required, >= 1), link_width_bits (required), link_latency_cycles (1),
// buffer_depth (kDefaultBufferDepth). Router ports, in and out: 0 local PE, 1 north, 2 east, 3 south,
// 4 west; all five exist on every router, edge routers leave theirs unconnected.
#include "noc/topology/topology_builder.h"

namespace cyclops::noc::topology {
namespace {

constexpr char kName[] = "mesh2d";
enum Port { kLocal = 0, kNorth = 1, kEast = 2, kSouth = 3, kWest = 4, kPorts = 5 };

// "r3_1", "pe3_1". Built with append(): GCC 12 warns falsely (-Wrestrict) on operator+ chains.
std::string NodeName(const char* what, int x, int y) {
  return std::string(what).append(std::to_string(x)).append("_").append(std::to_string(y));
}

// Router (x, y) is node 2·(y·width + x), its PE the node after it.
NodeId RouterAt(int width, int x, int y) {
  return 2 * (y * width + x);
}

std::vector<LinkId> XyRoute(int width, const Topology& topology, NodeId from, NodeId to, DataType type) {
  std::vector<LinkId> path;
  auto step = [&](NodeId a, NodeId b) {
    const std::optional<LinkId> link = topology.FindLink(a, b, type);
    if (link) path.push_back(*link);
    return link.has_value();
  };
  const GridCoord start = topology.node(from).cluster;
  const GridCoord goal = topology.node(to).cluster;
  NodeId at = RouterAt(width, start.x, start.y);
  if (from != at && !step(from, at)) return {};
  GridCoord here = start;
  while (here.x != goal.x || here.y != goal.y) {
    if (here.x != goal.x) {
      here.x += goal.x > here.x ? 1 : -1;
    } else {
      here.y += goal.y > here.y ? 1 : -1;
    }
    const NodeId next = RouterAt(width, here.x, here.y);
    if (!step(at, next)) return {};
    at = next;
  }
  if (to != at && !step(at, to)) return {};
  return path;
}

class Mesh2dBuilder : public TopologyBuilder {
 public:
  Topology Build(const TopologyParams& params) const override {
    ParamReader reader(kName, params);
    const int width = reader.RequiredInt("x", 1);
    const int height = reader.RequiredInt("y", 1);
    const int bits = reader.RequiredInt("link_width_bits", 1);
    const int latency = reader.LinkLatency();
    const int depth = reader.BufferDepth();
    reader.RejectUnread();

    TopologyDraft draft;
    const DataTypeSet all = DataTypeSet::All();
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        draft.AddNode(NodeKind::kRouter, all, NodeName("r", x, y), {x, y}, {}, kPorts, kPorts);
        draft.AddNode(NodeKind::kPe, all, NodeName("pe", x, y), {x, y});
      }
    }
    for (int y = 0; y < height; ++y) {
      for (int x = 0; x < width; ++x) {
        const NodeId router = RouterAt(width, x, y);
        draft.AddLink(router + 1, router, all, bits, latency, depth, 0, kLocal);
        draft.AddLink(router, router + 1, all, bits, latency, depth, kLocal, 0);
        if (y > 0)
          draft.AddLink(router, RouterAt(width, x, y - 1), all, bits, latency, depth, kNorth, kSouth);
        if (x + 1 < width)
          draft.AddLink(router, RouterAt(width, x + 1, y), all, bits, latency, depth, kEast, kWest);
        if (y + 1 < height)
          draft.AddLink(router, RouterAt(width, x, y + 1), all, bits, latency, depth, kSouth, kNorth);
        if (x > 0) draft.AddLink(router, RouterAt(width, x - 1, y), all, bits, latency, depth, kWest, kEast);
      }
    }
    return draft.Finish(kName, [width](const Topology& topology, NodeId from, NodeId to, DataType type) {
      return XyRoute(width, topology, from, to, type);
    });
  }
};

}  // namespace

CYCLOPS_REGISTER_TOPOLOGY(kName, Mesh2dBuilder);

}  // namespace cyclops::noc::topology
