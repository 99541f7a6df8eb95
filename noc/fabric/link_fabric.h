// The timing and counting model of a topology's links (noc/topology), used by the layer engine for every
// transfer between a storage level and the instances it feeds. Plain C++ (MatchLib style): the SystemC
// processes that send — the level controllers — call it; it adds no events of its own.
//
// How time is kept: every out port of every node is one channel with a calendar (links leaving a node
// through the same port share its wires, so one word on the port reaches any subset of them in the same
// cycle: a bus, or a router output fanning out to PEs). A transfer of V values books, in route order, each
// channel of its route for V / (values per cycle) cycles, where a link of width w carries ⌊w / value bits⌋
// values per cycle (a narrower link one value per ⌈value bits / w⌉ cycles). A channel starts when its
// feeder has started and the channel is free (cut-through), and cannot finish before its feeder finished
// plus the feeder's latency. A word leaves a shared port only when all its destinations can take it: the
// booking holds the whole port. Waiting for a busy channel is back-pressure, counted on that channel's links.
//
// Routes are planned once, at elaboration (Plan / PlanReduction), and sent many times (Send).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "noc/topology/topology.h"
#include "sim/stats/stat_group.h"
#include "sim/stats/stats_tree.h"

namespace cyclops::trace {
class TraceRecorder;
}

namespace cyclops::noc {

// A planned route: a multicast tree from one source, or a reduction tree into one destination.
struct FabricRoute {
  struct Step {
    int channel = 0;                         // the out port all of this step's links leave through
    std::vector<topology::LinkId> links;     // the links of the route on that port
    int first_feeder = 0, feeder_count = 0;  // the steps that must deliver first: FabricRoute::feeders
    double values_per_cycle = 1;             // the narrowest of its links
    int latency = 1;                         // the slowest of its links
    bool leaf = true;                        // feeds no other step: its end is a destination
    int slot = -1;                           // the fabric's counters of this step's links (LinkFabric::Plan)
  };
  topology::DataType type = topology::DataType::kIact;
  std::vector<Step> steps;   // every step after its feeders
  std::vector<int> feeders;  // step s's are [first_feeder, first_feeder + feeder_count) (none: the source)
};

// What one Send did: when the values arrived and which channel held them up longest.
struct FabricDelivery {
  double arrival = 0;      // cycle the last destination has the last value
  double wait = 0;         // cycles spent waiting for busy channels, summed over the route
  int worst_channel = -1;  // the channel waited for longest (-1: none)
};

class LinkFabric {
 public:
  // `value_bits[type]`: bits of one value of each data type (iact, weight, psum), for values per cycle.
  LinkFabric(const topology::Topology& topology, std::array<int, 3> value_bits);

  const topology::Topology& topology() const { return topology_; }
  // A new layer: calendars and counters start from zero; routes planned from now on use `value_bits`.
  void ResetLayer(std::array<int, 3> value_bits);
  const std::array<int, 3>& value_bits() const { return value_bits_; }

  // std::invalid_argument naming the nodes when a destination cannot be reached with `type`. A route is
  // sent on the fabric that planned it (its steps count into this fabric's slots), over any later layers.
  FabricRoute Plan(topology::NodeId source, const std::vector<topology::NodeId>& destinations,
                   topology::DataType type);
  // Values from every source reduced on the way (a link carries each partial sum once) into `destination`.
  FabricRoute PlanReduction(const std::vector<topology::NodeId>& sources, topology::NodeId destination,
                            topology::DataType type);
  // The same over a search shared by many routes with the same root (Topology::Search).
  FabricRoute Plan(const topology::Topology::RouteSearch& search,
                   const std::vector<topology::NodeId>& destinations);
  FabricRoute PlanReduction(const topology::Topology::RouteSearch& search,
                            const std::vector<topology::NodeId>& sources);

  // Moves `values` values along `route`, ready at the source(s) at cycle `at`. `accepted_by`: the cycle by
  // which the slowest destination has taken the last value (e.g. its buffer's write port is busy); the
  // links into the destinations are held until then, and the extra cycles are back-pressure.
  FabricDelivery Send(const FabricRoute& route, double at, int64_t values, double accepted_by = 0);
  // Values times links they crossed, summed over every send (what per-hop NoC energy is priced on).
  uint64_t value_hops() const { return value_hops_; }

  // "node:out<port>" and the links it drives, for reports.
  std::string ChannelName(int channel) const;
  int channels() const { return static_cast<int>(channel_links_.size()); }
  uint64_t ChannelStallCycles(int channel) const { return channels_[channel].stall; }
  uint64_t ChannelBusyCycles(int channel) const { return channels_[channel].busy; }

  // Files a StatGroup per link that carried anything, under "<prefix>.links.<from>-><to>", and one per
  // router or bus that forwarded anything; utilisation is busy cycles over `total_cycles`. After the layer.
  void FileStats(stats::StatsTree& tree, const std::string& prefix, uint64_t total_cycles) const;

  // Records the running layer's busy intervals into `recorder` (null: none): a track per link that carries
  // anything, named as FileStats names it under `prefix`, whose slices are the whole busy cycles its counter
  // counts (runs of back-to-back sends as one slice), and a counter of busy out ports.
  void SetTrace(trace::TraceRecorder* recorder, const std::string& prefix);

  // Per-link totals, for reports and plots (index = link id).
  struct LinkCounters {
    uint64_t transfers = 0;     // sends that used the link
    uint64_t values = 0;        // values carried
    uint64_t flits = 0;         // link-width words carried
    uint64_t busy_cycles = 0;   // cycles the link's port was sending on it
    uint64_t stall_cycles = 0;  // cycles sends waited for the link's port (back-pressure)
  };
  const std::vector<LinkCounters>& link_counters() const {
    FoldSlots();
    return links_;
  }
  // Per node: sends forwarded, summed fan-out (links per send step), sends that found the port busy.
  struct NodeCounters {
    uint64_t sends = 0;
    uint64_t fanout_links = 0;
    uint64_t conflicts = 0;
  };
  const std::vector<NodeCounters>& node_counters() const {
    FoldSlots();
    return nodes_;
  }

 private:
  FabricRoute FromLinks(const std::vector<topology::LinkId>& links, topology::DataType type);
  // Adds every slot's counts to each of its links and every channel's node counts to its node, and zeroes
  // what it added.
  void FoldSlots() const;
  std::string LinkName(const topology::Link& link) const;
  void TraceBusy(const FabricRoute::Step& step, double first, double last, int64_t values);

  const topology::Topology& topology_;
  std::array<int, 3> value_bits_;
  std::vector<int> channel_of_link_;
  std::vector<std::vector<topology::LinkId>> channel_links_;
  std::vector<topology::NodeId> channel_node_;
  std::vector<int> channel_port_;
  // What a send reads and writes of a channel, side by side (one cache line per step of a route).
  struct Channel {
    double free = 0;     // calendar: first cycle the channel is free
    double counted = 0;  // busy cycles before this one are counted
    uint64_t busy = 0, stall = 0;
    NodeCounters node;  // the sends through this port, added to its node's when asked
  };
  mutable std::vector<Channel> channels_;
  // A send adds the same counts to every link of a step, so it adds them once, to the step's slot, and
  // the links get them when asked (link_counters, FileStats): a send costs its steps, not its links.
  mutable std::vector<LinkCounters> links_;
  mutable std::vector<LinkCounters> slots_;
  mutable bool unfolded_ = false;  // sends since the last FoldSlots: asking again costs nothing
  std::vector<std::vector<topology::LinkId>> slot_links_;
  mutable std::vector<NodeCounters> nodes_;
  std::vector<double> step_start_, step_finish_;  // scratch for Send
  uint64_t value_hops_ = 0;
  trace::TraceRecorder* trace_ = nullptr;
  std::string trace_prefix_;
  std::vector<int> trace_tracks_;  // per link, -1 until it first carries something
  int trace_busy_name_ = -1, trace_busy_ports_ = -1;
};

}  // namespace cyclops::noc
