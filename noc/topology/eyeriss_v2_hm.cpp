// "eyeriss_v2_hm": Eyeriss v2's hierarchical mesh NoC (JETCAS 2019; ../shared/reference/eyeriss.md).
//
// clusters_x × clusters_y clusters (x eastwards, y southwards), each with a GLB cluster, a router cluster
// and a PE cluster of pes_per_cluster_y rows × pes_per_cluster_x columns. Router and bank counts follow the
// PE cluster's shape, which reproduces the chip's 3 iact / 3 weight / 4 psum routers for 3 × 4 PEs:
//   iact routers = iact GLB banks = PE rows; weight routers = PE rows (one PE row out each);
//   psum routers = psum GLB banks = PE columns (one column each).
// Mesh ports: a router has one vertical port per vertical direction that can have a neighbour (2 if
// clusters_y >= 3, 1 if 2, 0 if 1), the same horizontally; on the chip's 8 × 2 array that gives iact routers
// 2 + 1 mesh ports + 1 local = 4 × 4 and weight routers 1 + 1 = 2 × 2. Ports at array edges stay unconnected.
// See noc/topology/README.md for how each router's local ports are wired.
#include <algorithm>
#include <initializer_list>
#include <string_view>

#include "noc/topology/topology_builder.h"

namespace cyclops::noc::topology {
namespace {

constexpr char kName[] = "eyeriss_v2_hm";
enum Direction { kNorth, kSouth, kWest, kEast };
constexpr int kNext = TopologyDraft::kNextPort;
// Psum router ports, the same numbers in and out: north in / south out, GLB psum bank, PE column.
enum PsumPort { kPsumMesh = 0, kPsumGlb = 1, kPsumPe = 2, kPsumPorts = 3 };

// Concatenates with append(): GCC 12 warns falsely (-Wrestrict) on operator+ chains of std::string.
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string text;
  for (std::string_view part : parts) text.append(part);
  return text;
}

struct Shape {
  int clusters_x, clusters_y, cols, rows;
  int vertical_ports() const { return std::min(clusters_y - 1, 2); }
  int horizontal_ports() const { return std::min(clusters_x - 1, 2); }
  // Port index of a mesh direction; vertical ports come first. One port per axis serves both directions
  // when the axis is only two clusters long (each cluster has one neighbour on it).
  int IactPort(Direction d) const {
    if (d == kNorth) return 0;
    if (d == kSouth) return vertical_ports() - 1;
    return vertical_ports() + WeightPort(d);
  }
  int WeightPort(Direction d) const { return d == kWest ? 0 : horizontal_ports() - 1; }
  int iact_local() const { return vertical_ports() + horizontal_ports(); }
  int weight_local() const { return horizontal_ports(); }
};

struct Widths {
  int iact, weight, psum, latency, depth;
  int offchip;  // the chip's I/O: one port per data type, shared by every cluster
};

// Node ids of one cluster.
struct Cluster {
  std::vector<NodeId> iact_router, weight_router, psum_router, iact_bank, psum_bank;
  std::vector<NodeId> pe;  // [row * cols + col]
};

class EyerissV2HmBuilder : public TopologyBuilder {
 public:
  Topology Build(const TopologyParams& params) const override {
    ParamReader reader(kName, params);
    const Shape shape{reader.DefaultInt("clusters_x", 2, 1), reader.DefaultInt("clusters_y", 8, 1),
                      reader.DefaultInt("pes_per_cluster_x", 4, 1),
                      reader.DefaultInt("pes_per_cluster_y", 3, 1)};
    const Widths widths{
        reader.DefaultInt("iact_width_bits", 24, 1), reader.DefaultInt("weight_width_bits", 24, 1),
        reader.DefaultInt("psum_width_bits", 40, 1), reader.LinkLatency(), reader.BufferDepth(),
        // 25.6 GB/s at 200 MHz = 128 bytes per cycle, the DRAM limit eyeriss.md quotes for v2.
        reader.DefaultInt("offchip_width_bits", 1024, 1)};
    reader.RejectUnread();

    TopologyDraft draft;
    const NodeId offchip_iact =
        draft.AddNode(NodeKind::kOffchipPort, DataType::kIact, "offchip.iact", {-1, -1});
    const NodeId offchip_weight =
        draft.AddNode(NodeKind::kOffchipPort, DataType::kWeight, "offchip.weight", {-1, -1});
    const NodeId offchip_psum =
        draft.AddNode(NodeKind::kOffchipPort, DataType::kPsum, "offchip.psum", {-1, -1});
    auto link = [&](NodeId from, NodeId to, DataType type, int from_port, int to_port) {
      const bool offchip = from == offchip_iact || from == offchip_weight || to == offchip_psum;
      const int bits = offchip                     ? widths.offchip
                       : type == DataType::kIact   ? widths.iact
                       : type == DataType::kWeight ? widths.weight
                                                   : widths.psum;
      draft.AddLink(from, to, type, bits, widths.latency, widths.depth, from_port, to_port);
    };

    std::vector<Cluster> clusters;  // [y * clusters_x + x]
    // Capped: a shape beyond the topology's node budget is refused by AddNode, not by a huge reserve.
    clusters.reserve(
        std::min<std::size_t>(static_cast<std::size_t>(shape.clusters_x) * shape.clusters_y, 4096));
    for (int y = 0; y < shape.clusters_y; ++y) {
      for (int x = 0; x < shape.clusters_x; ++x) clusters.push_back(AddCluster(draft, shape, {x, y}));
    }
    for (const Cluster& c : clusters) {
      for (int i = 0; i < shape.rows; ++i) {
        link(offchip_iact, c.iact_bank[i], DataType::kIact, 0, 0);
        link(c.iact_bank[i], c.iact_router[i], DataType::kIact, 0, shape.iact_local());
        link(offchip_iact, c.iact_router[i], DataType::kIact, 0, shape.iact_local());  // GLB bypass
        for (NodeId pe : c.pe) link(c.iact_router[i], pe, DataType::kIact, shape.iact_local(), kNext);
        link(offchip_weight, c.weight_router[i], DataType::kWeight, 0, shape.weight_local());
        for (int col = 0; col < shape.cols; ++col) {
          link(c.weight_router[i], c.pe[i * shape.cols + col], DataType::kWeight, shape.weight_local(),
               kNext);
        }
      }
      for (int col = 0; col < shape.cols; ++col) {
        link(c.psum_bank[col], c.psum_router[col], DataType::kPsum, 0, kPsumGlb);
        link(c.psum_router[col], c.psum_bank[col], DataType::kPsum, kPsumGlb, 0);
        link(c.psum_bank[col], offchip_psum, DataType::kPsum, 1, 0);
        link(c.psum_router[col], c.pe[col], DataType::kPsum, kPsumPe, kNext);  // top PE
        for (int row = 0; row + 1 < shape.rows; ++row) {  // down the column, so psums only ever move south
          link(c.pe[row * shape.cols + col], c.pe[(row + 1) * shape.cols + col], DataType::kPsum, kNext,
               kNext);
        }
        link(c.pe[(shape.rows - 1) * shape.cols + col], c.psum_router[col], DataType::kPsum, kNext, kPsumPe);
      }
    }
    AddMesh(shape, clusters, link);
    return draft.Finish(kName);
  }

 private:
  static Cluster AddCluster(TopologyDraft& draft, const Shape& shape, GridCoord at) {
    const std::string prefix = Cat({"c", std::to_string(at.x), "_", std::to_string(at.y), "."});
    auto numbered = [&](const char* what, int i) { return Cat({prefix, what, std::to_string(i)}); };
    const int iact_ports = shape.iact_local() + 1;
    const int weight_ports = shape.weight_local() + 1;
    Cluster c;
    for (int i = 0; i < shape.rows; ++i) {
      c.iact_bank.push_back(
          draft.AddNode(NodeKind::kGlbBank, DataType::kIact, numbered("glb_iact", i), at, {i, 0}));
      c.iact_router.push_back(draft.AddNode(NodeKind::kRouter, DataType::kIact, numbered("iact_router", i),
                                            at, {i, 0}, iact_ports, iact_ports));
      c.weight_router.push_back(draft.AddNode(NodeKind::kRouter, DataType::kWeight,
                                              numbered("weight_router", i), at, {i, 0}, weight_ports,
                                              weight_ports));
    }
    for (int i = 0; i < shape.cols; ++i) {
      c.psum_bank.push_back(
          draft.AddNode(NodeKind::kGlbBank, DataType::kPsum, numbered("glb_psum", i), at, {i, 0}));
      c.psum_router.push_back(draft.AddNode(NodeKind::kRouter, DataType::kPsum, numbered("psum_router", i),
                                            at, {i, 0}, kPsumPorts, kPsumPorts));
    }
    for (int row = 0; row < shape.rows; ++row) {
      for (int col = 0; col < shape.cols; ++col) {
        const std::string name = Cat({prefix, "pe", std::to_string(row), "_", std::to_string(col)});
        c.pe.push_back(draft.AddNode(NodeKind::kPe, DataTypeSet::All(), name, at, {col, row}));
      }
    }
    return c;
  }

  // Mesh links between the same-numbered routers of neighbouring clusters: iact all four ways, weight
  // east-west only (no vertical weight links), psum north-to-south only.
  template <typename LinkFn>
  static void AddMesh(const Shape& shape, const std::vector<Cluster>& clusters, LinkFn& link) {
    auto at = [&](int x, int y) -> const Cluster& { return clusters[y * shape.clusters_x + x]; };
    const Direction opposite[] = {kSouth, kNorth, kEast, kWest};
    for (int y = 0; y < shape.clusters_y; ++y) {
      for (int x = 0; x < shape.clusters_x; ++x) {
        const Cluster& here = at(x, y);
        const std::pair<Direction, GridCoord> neighbours[] = {
            {kNorth, {x, y - 1}}, {kSouth, {x, y + 1}}, {kWest, {x - 1, y}}, {kEast, {x + 1, y}}};
        for (const auto& [direction, n] : neighbours) {
          if (n.x < 0 || n.y < 0 || n.x >= shape.clusters_x || n.y >= shape.clusters_y) continue;
          const Cluster& there = at(n.x, n.y);
          for (int i = 0; i < shape.rows; ++i) {
            link(here.iact_router[i], there.iact_router[i], DataType::kIact, shape.IactPort(direction),
                 shape.IactPort(opposite[direction]));
          }
          if (direction == kWest || direction == kEast) {
            for (int i = 0; i < shape.rows; ++i) {
              link(here.weight_router[i], there.weight_router[i], DataType::kWeight,
                   shape.WeightPort(direction), shape.WeightPort(opposite[direction]));
            }
          }
          if (direction == kSouth) {
            for (int i = 0; i < shape.cols; ++i) {
              link(here.psum_router[i], there.psum_router[i], DataType::kPsum, kPsumMesh, kPsumMesh);
            }
          }
        }
      }
    }
  }
};

}  // namespace

CYCLOPS_REGISTER_TOPOLOGY(kName, EyerissV2HmBuilder);

}  // namespace cyclops::noc::topology
