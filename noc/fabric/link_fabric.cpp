#include "noc/fabric/link_fabric.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "sim/trace/trace_recorder.h"

namespace cyclops::noc {

using topology::DataType;
using topology::LinkId;
using topology::NodeId;

namespace {

// ⌊w / bits⌋ values per cycle; a link narrower than a value moves one value per ⌈bits / w⌉ cycles.
double ValuesPerCycle(int width_bits, int value_bits) {
  if (width_bits >= value_bits) return static_cast<double>(width_bits / value_bits);
  return 1.0 / static_cast<double>((value_bits + width_bits - 1) / width_bits);
}

// Stats paths split at dots; node names use dots for their cluster, so they become slashes here.
std::string PathSafe(std::string name) {
  std::replace(name.begin(), name.end(), '.', '/');
  return name;
}

uint64_t WholeCycles(double cycles) {
  return static_cast<uint64_t>(std::max(0.0, std::floor(cycles)));
}

}  // namespace

LinkFabric::LinkFabric(const topology::Topology& topology, std::array<int, 3> value_bits)
    : topology_(topology), value_bits_(value_bits) {
  std::map<std::pair<NodeId, int>, int> channel_of_port;
  channel_of_link_.resize(topology.links().size());
  for (const topology::Link& link : topology.links()) {
    auto [it, added] = channel_of_port.emplace(std::make_pair(link.from, link.from_port),
                                               static_cast<int>(channel_links_.size()));
    if (added) {
      channel_links_.emplace_back();
      channel_node_.push_back(link.from);
      channel_port_.push_back(link.from_port);
    }
    channel_of_link_[link.id] = it->second;
    channel_links_[it->second].push_back(link.id);
  }
  const size_t channels = channel_links_.size();
  channels_.assign(channels, Channel{});
  links_.resize(topology.links().size());
  nodes_.resize(topology.nodes().size());
}

void LinkFabric::ResetLayer(std::array<int, 3> value_bits) {
  value_bits_ = value_bits;
  std::fill(channels_.begin(), channels_.end(), Channel{});
  std::fill(links_.begin(), links_.end(), LinkCounters{});
  std::fill(slots_.begin(), slots_.end(), LinkCounters{});
  std::fill(nodes_.begin(), nodes_.end(), NodeCounters{});
  value_hops_ = 0;
}

void LinkFabric::FoldSlots() const {
  if (!unfolded_) return;
  unfolded_ = false;
  for (size_t slot = 0; slot < slots_.size(); ++slot) {
    LinkCounters& counts = slots_[slot];
    if (counts.transfers == 0) continue;
    for (LinkId id : slot_links_[slot]) {
      LinkCounters& link = links_[id];
      link.transfers += counts.transfers;
      link.values += counts.values;
      link.flits += counts.flits;
      link.busy_cycles += counts.busy_cycles;
      link.stall_cycles += counts.stall_cycles;
    }
    counts = LinkCounters{};
  }
  for (size_t c = 0; c < channels_.size(); ++c) {
    NodeCounters& from = channels_[c].node;
    NodeCounters& node = nodes_[channel_node_[c]];
    node.sends += from.sends;
    node.fanout_links += from.fanout_links;
    node.conflicts += from.conflicts;
    from = NodeCounters{};
  }
}

FabricRoute LinkFabric::FromLinks(const std::vector<LinkId>& links, DataType type) {
  FabricRoute route;
  route.type = type;
  // One step per channel; a step's feeders are the steps whose links enter the node it leaves from.
  std::map<int, int> step_of_channel;
  std::vector<FabricRoute::Step> steps;
  for (LinkId id : links) {
    const topology::Link& link = topology_.link(id);
    const int channel = channel_of_link_[id];
    auto [it, added] = step_of_channel.emplace(channel, static_cast<int>(steps.size()));
    if (added) {
      steps.emplace_back();
      steps.back().channel = channel;
      steps.back().values_per_cycle = ValuesPerCycle(link.width_bits, value_bits_[static_cast<int>(type)]);
      steps.back().latency = link.latency_cycles;
    }
    FabricRoute::Step& step = steps[it->second];
    step.links.push_back(id);
    step.values_per_cycle =
        std::min(step.values_per_cycle, ValuesPerCycle(link.width_bits, value_bits_[static_cast<int>(type)]));
    step.latency = std::max(step.latency, link.latency_cycles);
  }
  std::multimap<NodeId, int> steps_entering;
  for (size_t s = 0; s < steps.size(); ++s)
    for (LinkId id : steps[s].links) steps_entering.emplace(topology_.link(id).to, static_cast<int>(s));
  std::vector<std::vector<int>> feeders(steps.size());
  for (size_t s = 0; s < steps.size(); ++s) {
    const NodeId from = channel_node_[steps[s].channel];
    auto [begin, end] = steps_entering.equal_range(from);
    for (auto it = begin; it != end; ++it)
      if (std::find(feeders[s].begin(), feeders[s].end(), it->second) == feeders[s].end())
        feeders[s].push_back(it->second);
  }
  // Every step after its feeders (depth-first post-order; routes are trees, so there are no cycles).
  std::vector<int> order, state(steps.size(), 0), new_index(steps.size(), -1);
  std::vector<std::pair<int, size_t>> stack;
  for (size_t root = 0; root < steps.size(); ++root) {
    if (state[root]) continue;
    stack.push_back({static_cast<int>(root), 0});
    state[root] = 1;
    while (!stack.empty()) {
      auto& [s, next] = stack.back();
      if (next < feeders[s].size()) {
        const int f = feeders[s][next++];
        if (state[f] == 0) state[f] = 1, stack.push_back({f, 0});
        continue;
      }
      state[s] = 2;
      new_index[s] = static_cast<int>(order.size());
      order.push_back(s);
      stack.pop_back();
    }
  }
  for (int s : order) {
    FabricRoute::Step step = steps[s];
    step.first_feeder = static_cast<int>(route.feeders.size());
    step.feeder_count = static_cast<int>(feeders[s].size());
    for (int f : feeders[s]) route.feeders.push_back(new_index[f]);  // placed already: post-order
    step.slot = static_cast<int>(slots_.size());
    slots_.emplace_back();
    slot_links_.push_back(step.links);
    route.steps.push_back(std::move(step));
  }
  for (const FabricRoute::Step& step : route.steps)
    for (int k = 0; k < step.feeder_count; ++k)
      route.steps[route.feeders[step.first_feeder + k]].leaf = false;
  return route;
}

FabricRoute LinkFabric::Plan(const topology::Topology::RouteSearch& search,
                             const std::vector<NodeId>& destinations) {
  const topology::MulticastTree tree = topology_.Multicast(search, destinations);
  if (!tree.unreachable.empty())
    throw std::invalid_argument("the '" + topology_.builder() + "' network cannot carry " +
                                std::string(topology::ToString(search.type)) + " from " +
                                topology_.node(search.root).name + " to " +
                                topology_.node(tree.unreachable.front()).name);
  return FromLinks(tree.links, search.type);
}

FabricRoute LinkFabric::Plan(NodeId source, const std::vector<NodeId>& destinations, DataType type) {
  return Plan(topology_.Search(source, type, false, destinations), destinations);
}

FabricRoute LinkFabric::PlanReduction(const topology::Topology::RouteSearch& search,
                                      const std::vector<NodeId>& sources) {
  const topology::MulticastTree tree = topology_.Reduction(search, sources);
  if (!tree.unreachable.empty())
    throw std::invalid_argument("the '" + topology_.builder() + "' network cannot carry " +
                                std::string(topology::ToString(search.type)) + " from " +
                                topology_.node(tree.unreachable.front()).name + " to " +
                                topology_.node(search.root).name);
  return FromLinks(tree.links, search.type);
}

FabricRoute LinkFabric::PlanReduction(const std::vector<NodeId>& sources, NodeId destination, DataType type) {
  return PlanReduction(topology_.Search(destination, type, true, sources), sources);
}

FabricDelivery LinkFabric::Send(const FabricRoute& route, double at, int64_t values, double accepted_by) {
  FabricDelivery delivery;
  delivery.arrival = at;
  if (values <= 0 || route.steps.empty()) return delivery;
  step_start_.resize(route.steps.size());
  step_finish_.resize(route.steps.size());
  double worst_wait = 0;
  for (size_t s = 0; s < route.steps.size(); ++s) {
    const FabricRoute::Step& step = route.steps[s];
    double ready = at, earliest_finish = 0;
    for (int k = 0; k < step.feeder_count; ++k) {
      const int f = route.feeders[step.first_feeder + k];
      const int latency = route.steps[f].latency;
      ready = std::max(ready, step_start_[f] + latency);
      earliest_finish = std::max(earliest_finish, step_finish_[f] + latency);
    }
    const int channel = step.channel;
    Channel& port = channels_[static_cast<size_t>(channel)];
    const double start = std::max(ready, port.free);
    const double occupancy = static_cast<double>(values) / step.values_per_cycle;
    double finish = std::max(start + occupancy, earliest_finish);
    // A word leaves only when every destination can take it: a slow receiver holds the port.
    const double held = step.leaf ? std::max(0.0, accepted_by - step.latency + 1 - finish) : 0.0;
    finish += held;
    port.free = finish;
    step_start_[s] = start, step_finish_[s] = finish;

    const double wait = start - ready + held;
    const uint64_t stall = WholeCycles(wait);
    // Whole busy cycles, each counted once even when two sends share it.
    const double first = std::max(std::floor(start), port.counted);
    const double last = std::ceil(start + occupancy);
    const uint64_t busy = last > first ? static_cast<uint64_t>(last - first) : 0;
    port.counted = std::max(port.counted, last);
    port.busy += busy;
    if (trace_ && busy > 0) TraceBusy(step, first, last, values);
    port.stall += stall;
    if (step.slot < 0 || static_cast<size_t>(step.slot) >= slots_.size())
      throw std::invalid_argument("a route sent on a fabric that did not plan it");
    unfolded_ = true;
    LinkCounters& counters = slots_[static_cast<size_t>(step.slot)];  // each of the step's links
    ++counters.transfers;
    counters.values += static_cast<uint64_t>(values);
    counters.flits += static_cast<uint64_t>(std::ceil(occupancy));
    counters.busy_cycles += busy;
    counters.stall_cycles += stall;
    value_hops_ += static_cast<uint64_t>(values) * step.links.size();
    NodeCounters& node = port.node;
    ++node.sends;
    node.fanout_links += step.links.size();
    if (stall > 0) ++node.conflicts;

    delivery.wait += wait;
    if (wait > worst_wait) worst_wait = wait, delivery.worst_channel = channel;
    // A destination has the last value one latency after its link finished sending it; the link's first
    // cycle is the send cycle itself, hence the - 1 (a one-cycle hop arrives the next cycle).
    if (step.leaf) delivery.arrival = std::max(delivery.arrival, finish + step.latency - 1);
  }
  return delivery;
}

std::string LinkFabric::ChannelName(int channel) const {
  const std::vector<LinkId>& links = channel_links_[channel];
  std::string name =
      topology_.node(channel_node_[channel]).name + ":out" + std::to_string(channel_port_[channel]);
  if (links.size() == 1) return name + " -> " + topology_.node(topology_.link(links[0]).to).name;
  return name + " -> " + std::to_string(links.size()) + " links (" +
         topology_.node(topology_.link(links[0]).to).name + ", ...)";
}

std::string LinkFabric::LinkName(const topology::Link& link) const {
  std::string name = PathSafe(topology_.node(link.from).name) + "->" + PathSafe(topology_.node(link.to).name);
  // Parallel links between two nodes (a systolic column's weight and psum wires) by their data types.
  const auto& out = topology_.OutLinks(link.from);
  if (std::count_if(out.begin(), out.end(), [&](int id) { return topology_.link(id).to == link.to; }) > 1)
    name.append(":").append(topology::ToString(link.data_types));
  return name;
}

void LinkFabric::SetTrace(trace::TraceRecorder* recorder, const std::string& prefix) {
  trace_ = recorder;
  trace_prefix_ = prefix;
  trace_tracks_.assign(links_.size(), -1);
  if (!recorder) return;
  trace_busy_name_ = recorder->Name("busy");
  trace_busy_ports_ = recorder->Counter(recorder->Group(prefix), "busy ports", "ports");
}

void LinkFabric::TraceBusy(const FabricRoute::Step& step, double first, double last, int64_t values) {
  const uint64_t begin = static_cast<uint64_t>(first), end = static_cast<uint64_t>(last);
  const int group = trace_->Group(trace_prefix_);
  for (LinkId id : step.links) {
    int& track = trace_tracks_[static_cast<size_t>(id)];
    if (track < 0) track = trace_->Track(group, trace_prefix_ + ".links." + LinkName(topology_.link(id)));
    trace_->ContiguousSlice(track, trace_busy_name_, begin, end, {"values", values});
  }
  trace_->AddToCounter(trace_busy_ports_, begin, end, 1);
}

void LinkFabric::FileStats(stats::StatsTree& tree, const std::string& prefix, uint64_t total_cycles) const {
  FoldSlots();  // links_ and nodes_ are whole from here
  for (const topology::Link& link : topology_.links()) {
    const LinkCounters& counters = links_[link.id];
    if (counters.transfers == 0) continue;
    stats::StatGroup& group = tree.Create(prefix + ".links." + LinkName(link));
    group.AddCounter("transfers", "transfers", "sends that used the link").Add(counters.transfers);
    group.AddCounter("values", "values", "values carried").Add(counters.values);
    group.AddCounter("flits", "flits", "link-width words carried").Add(counters.flits);
    stats::Counter& busy = group.AddCounter("busy_cycles", "cycles", "cycles the link was sending");
    busy.Add(counters.busy_cycles);
    group.AddCounter("stall_cycles", "cycles", "cycles sends waited for the link's port (back-pressure)")
        .Add(counters.stall_cycles);
    group.AddCounter("width_bits", "bits", "link width").Add(static_cast<uint64_t>(link.width_bits));
    group.AddFormula("utilisation", "ratio", "busy cycles / simulated cycles", [&busy, total_cycles] {
      return total_cycles == 0 ? 0.0 : static_cast<double>(busy.value()) / total_cycles;
    });
  }
  for (const topology::Node& node : topology_.nodes()) {
    const NodeCounters& counters = nodes_[node.id];
    if (counters.sends == 0) continue;
    if (node.kind != topology::NodeKind::kRouter && node.kind != topology::NodeKind::kBus) continue;
    stats::StatGroup& group = tree.Create(prefix + ".routers." + PathSafe(node.name));
    stats::Counter& sends = group.AddCounter("sends", "sends", "words forwarded through an out port");
    sends.Add(counters.sends);
    stats::Counter& fanout = group.AddCounter("fanout_links", "links", "links reached, summed over sends");
    fanout.Add(counters.fanout_links);
    group.AddCounter("arbitration_conflicts", "sends", "sends that found their out port busy")
        .Add(counters.conflicts);
    group.AddRatio("mean_multicast_fanout", "links reached per send", fanout, sends);
  }
}

}  // namespace cyclops::noc
