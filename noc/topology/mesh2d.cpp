// "mesh2d": x × y routers, each with a local PE, neighbours linked both ways; global-buffer banks on one
// edge of the array and an off-chip port behind them. Every link carries every data type.
//
// Where the GLB sits: `glb_side` west (default) or north, `glb_banks` banks on that edge (default one per
// row, or per column). Bank b attaches to the edge router of row (column) ⌊b · rows / banks⌋ through that
// router's otherwise unconnected west (north) port, both ways; so one bank per row feeds each row from its
// west end, and `glb_banks: 1` is one bank at the north-west corner. The off-chip port reaches every bank
// through one shared out port (a word can go to any set of banks at once) and every bank has a link back.
//
// Routes are dimension-ordered, computed by this builder's own routing function rather than a graph
// search: from a memory node (off-chip port, GLB bank) down into the mesh a route goes XY (all of the X
// distance first, then Y), and a route back up towards a memory node — psums reduced into the GLB,
// outputs written off-chip — is the XY route from that node, backwards. So a reduction tree is the
// multicast tree from its destination reversed, and psums retrace the links their operands came on. The
// off-chip port enters the mesh through the bank serving the destination's row (column): the bank with the
// highest attachment row (column) not past it. Between two PEs (or routers) routes go XY.
//
// Parameters: x, y (required, >= 1), link_width_bits (required), glb_side (west), glb_banks (y for west,
// x for north; 1 .. that), glb_width_bits and offchip_width_bits (link_width_bits), link_latency_cycles (1),
// buffer_depth (kDefaultBufferDepth). Router ports, in and out: 0 local PE, 1 north, 2 east, 3 south,
// 4 west; all five exist on every router, edge routers leave those without a neighbour or bank unconnected.
// Bank ports: 0 its router, 1 the off-chip port.
#include <algorithm>

#include "noc/topology/topology_builder.h"

namespace cyclops::noc::topology {
namespace {

constexpr char kName[] = "mesh2d";
enum Port { kLocal = 0, kNorth = 1, kEast = 2, kSouth = 3, kWest = 4, kPorts = 5 };
enum BankPort { kBankRouter = 0, kBankOffchip = 1 };

// "r3_1", "pe3_1". Built with append(): GCC 12 warns falsely (-Wrestrict) on operator+ chains.
std::string NodeName(const char* what, int x, int y) {
  return std::string(what).append(std::to_string(x)).append("_").append(std::to_string(y));
}

// Where everything is: router (x, y) is node 2·(y·width + x), its PE the node after it; then the banks,
// then the off-chip port.
struct MeshShape {
  int width = 1, height = 1;
  bool west = true;
  std::vector<int> attach;  // per bank: the row (west) or column (north) it attaches to

  NodeId Router(int x, int y) const { return 2 * (y * width + x); }
  NodeId FirstBank() const { return 2 * width * height; }
  NodeId Offchip() const { return FirstBank() + static_cast<NodeId>(attach.size()); }
  bool IsBank(NodeId id) const { return id >= FirstBank() && id < Offchip(); }
  NodeId BankRouter(NodeId bank) const {
    const int at = attach[bank - FirstBank()];
    return west ? Router(0, at) : Router(at, 0);
  }
  // 0: the off-chip port, 1: a GLB bank, 2: the mesh (a router or a PE). Routes go down in rank as XY.
  int Rank(NodeId id) const { return id == Offchip() ? 0 : IsBank(id) ? 1 : 2; }
  // The router a node enters and leaves the mesh by.
  NodeId AccessRouter(NodeId id) const { return IsBank(id) ? BankRouter(id) : id - id % 2; }
  // The bank the off-chip port reaches a mesh node through: the last one attached at or before its row
  // (column). Banks are attached in increasing order, bank 0 at row (column) 0.
  NodeId EntryBank(NodeId mesh_node) const {
    const int index = (mesh_node - mesh_node % 2) / 2;
    const int along = west ? index / width : index % width;
    const auto after = std::upper_bound(attach.begin(), attach.end(), along);
    return FirstBank() + static_cast<NodeId>(after - attach.begin()) - 1;
  }
};

// XY from one router to another, appended to `path`; false if a link is missing.
bool AppendXy(const MeshShape& mesh, const Topology& topology, NodeId from, NodeId to, DataType type,
              std::vector<LinkId>& path) {
  GridCoord here = topology.node(from).cluster;
  const GridCoord goal = topology.node(to).cluster;
  NodeId at = from;
  while (here.x != goal.x || here.y != goal.y) {
    if (here.x != goal.x) {
      here.x += goal.x > here.x ? 1 : -1;
    } else {
      here.y += goal.y > here.y ? 1 : -1;
    }
    const NodeId next = mesh.Router(here.x, here.y);
    const std::optional<LinkId> link = topology.FindLink(at, next, type);
    if (!link) return false;
    path.push_back(*link);
    at = next;
  }
  return true;
}

// A route that never goes up in rank: off-chip port → its entry bank → the bank's router → XY → `to`.
std::vector<LinkId> DownRoute(const MeshShape& mesh, const Topology& topology, NodeId from, NodeId to,
                              DataType type) {
  std::vector<LinkId> path;
  auto step = [&](NodeId a, NodeId b) {
    const std::optional<LinkId> link = topology.FindLink(a, b, type);
    if (link) path.push_back(*link);
    return link.has_value();
  };
  NodeId at = from;
  if (at == mesh.Offchip()) {
    const NodeId bank = mesh.IsBank(to) ? to : mesh.EntryBank(to);
    if (!step(at, bank)) return {};
    if (bank == to) return path;
    at = bank;
  }
  const NodeId entry = mesh.AccessRouter(at);
  if (at != entry && !step(at, entry)) return {};
  const NodeId exit = mesh.AccessRouter(to);
  if (!AppendXy(mesh, topology, entry, exit, type, path)) return {};
  if (to != exit && !step(exit, to)) return {};
  return path;
}

std::vector<LinkId> MeshRoute(const MeshShape& mesh, const Topology& topology, NodeId from, NodeId to,
                              DataType type) {
  if (mesh.Rank(to) >= mesh.Rank(from)) return DownRoute(mesh, topology, from, to, type);
  // Up towards a memory node: the route down from it, every link replaced by its twin the other way.
  const std::vector<LinkId> down = DownRoute(mesh, topology, to, from, type);
  std::vector<LinkId> up;
  for (auto it = down.rbegin(); it != down.rend(); ++it) {
    const Link& link = topology.link(*it);
    const std::optional<LinkId> twin = topology.FindLink(link.to, link.from, type);
    if (!twin) return {};
    up.push_back(*twin);
  }
  return up;
}

class Mesh2dBuilder : public TopologyBuilder {
 public:
  Topology Build(const TopologyParams& params) const override {
    ParamReader reader(kName, params);
    MeshShape mesh;
    mesh.width = reader.RequiredInt("x", 1);
    mesh.height = reader.RequiredInt("y", 1);
    const int bits = reader.RequiredInt("link_width_bits", 1);
    mesh.west = reader.DefaultChoice("glb_side", "west", {"west", "north"}) == "west";
    const int edge = mesh.west ? mesh.height : mesh.width;
    const int banks = reader.DefaultInt("glb_banks", edge, 1);
    if (banks > edge)
      reader.Fail("glb_banks",
                  std::to_string(banks) + " banks on an edge of " + std::to_string(edge) + " routers",
                  "at most one bank per router of the " + std::string(mesh.west ? "west" : "north") +
                      " edge (" + std::to_string(edge) + ")");
    const int glb_bits = reader.DefaultInt("glb_width_bits", bits, 1);
    const int offchip_bits = reader.DefaultInt("offchip_width_bits", bits, 1);
    const int latency = reader.LinkLatency();
    const int depth = reader.BufferDepth();
    reader.RejectUnread();
    for (int b = 0; b < banks; ++b) mesh.attach.push_back(static_cast<int>(int64_t{b} * edge / banks));

    TopologyDraft draft;
    const DataTypeSet all = DataTypeSet::All();
    for (int y = 0; y < mesh.height; ++y) {
      for (int x = 0; x < mesh.width; ++x) {
        draft.AddNode(NodeKind::kRouter, all, NodeName("r", x, y), {x, y}, {}, kPorts, kPorts);
        draft.AddNode(NodeKind::kPe, all, NodeName("pe", x, y), {x, y});
      }
    }
    // The GLB serves the whole array, not one router's cluster: (-1, -1), like the off-chip port.
    for (int b = 0; b < banks; ++b)
      draft.AddNode(NodeKind::kGlbBank, all, "glb" + std::to_string(b), {-1, -1}, {b, 0});
    draft.AddNode(NodeKind::kOffchipPort, all, "offchip", {-1, -1});

    for (int y = 0; y < mesh.height; ++y) {
      for (int x = 0; x < mesh.width; ++x) {
        const NodeId router = mesh.Router(x, y);
        draft.AddLink(router + 1, router, all, bits, latency, depth, 0, kLocal);
        draft.AddLink(router, router + 1, all, bits, latency, depth, kLocal, 0);
        if (y > 0) draft.AddLink(router, mesh.Router(x, y - 1), all, bits, latency, depth, kNorth, kSouth);
        if (x + 1 < mesh.width)
          draft.AddLink(router, mesh.Router(x + 1, y), all, bits, latency, depth, kEast, kWest);
        if (y + 1 < mesh.height)
          draft.AddLink(router, mesh.Router(x, y + 1), all, bits, latency, depth, kSouth, kNorth);
        if (x > 0) draft.AddLink(router, mesh.Router(x - 1, y), all, bits, latency, depth, kWest, kEast);
      }
    }
    const int edge_port = mesh.west ? kWest : kNorth;
    for (int b = 0; b < banks; ++b) {
      const NodeId bank = mesh.FirstBank() + b;
      const NodeId router = mesh.BankRouter(bank);
      draft.AddLink(bank, router, all, glb_bits, latency, depth, kBankRouter, edge_port);
      draft.AddLink(router, bank, all, glb_bits, latency, depth, edge_port, kBankRouter);
      draft.AddLink(mesh.Offchip(), bank, all, offchip_bits, latency, depth, 0, kBankOffchip);
      draft.AddLink(bank, mesh.Offchip(), all, offchip_bits, latency, depth, kBankOffchip, 0);
    }
    return draft.Finish(kName, [mesh](const Topology& topology, NodeId from, NodeId to, DataType type) {
      return MeshRoute(mesh, topology, from, to, type);
    });
  }
};

}  // namespace

CYCLOPS_REGISTER_TOPOLOGY(kName, Mesh2dBuilder);

}  // namespace cyclops::noc::topology
