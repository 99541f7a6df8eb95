// sc_spawn (one arbitration thread per bus) needs SystemC's dynamic-process API.
#define SC_INCLUDE_DYNAMIC_PROCESSES

#include "noc/bus/bus_network.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/common/cycle_time.h"

namespace cyclops::noc {

using models::Cycles;
using models::Now;
using models::Packet;

BusNetwork::BusNetwork(sc_core::sc_module_name name, const NetworkConfig& config)
    : Network(name), config_(config) {
  if (config_.n_endpoints <= 0) throw std::invalid_argument("bus network: needs at least one endpoint");
  if (config_.channels.size() != config_.data_spaces.size()) {
    throw std::invalid_argument("bus network: one channel per data space expected");
  }
  for (size_t ds = 0; ds < config_.data_spaces.size(); ++ds) {
    const ChannelConfig& channel = config_.channels[ds];
    if (channel.width && !(*channel.width > 0)) throw std::invalid_argument("bus network: width must be > 0");
    auto bus = std::make_unique<Bus>();
    bus->data_space = static_cast<int>(ds);
    bus->channel = channel;
    const std::string prefix = config_.data_spaces[ds] + "_";
    for (int ep = 0; ep < config_.n_endpoints; ++ep) {
      // Injection takes one cycle, the bus's own latency applies on the way out.
      bus->injection.push_back(std::make_unique<Link>((prefix + "inject_" + std::to_string(ep)).c_str(),
                                                      config_.injection_queue_depth, 1));
      bus->ejection.push_back(std::make_unique<Link>((prefix + "eject_" + std::to_string(ep)).c_str(),
                                                     config_.input_queue_depth, channel.latency));
      bus->any_injection |= bus->injection.back()->DataEvent();
    }
    const std::string& space = config_.data_spaces[ds];
    bus->packets = &bus->stats.AddCounter("packets", "packets", space + " packets moved by the bus");
    bus->values_sent = &bus->stats.AddCounter("values_sent", "values",
                                              space + " values put on the bus (once per multicast)");
    bus->deliveries =
        &bus->stats.AddCounter("deliveries", "values", space + " values delivered, once per receiver");
    bus->busy_cycles = &bus->stats.AddCounter("busy_cycles", "cycles", "cycles the bus was transferring");
    bus->stall_cycles =
        &bus->stats.AddCounter("stall_cycles", "cycles", "cycles a packet waited for a full receiver");
    for (int ep = 0; ep < config_.n_endpoints; ++ep) {
      bus->stall_caused_by.push_back(&bus->stats.AddCounter(
          "stall_cycles_caused_by_ep" + std::to_string(ep), "cycles",
          "stall cycles while endpoint " + std::to_string(ep) + "'s input queue was full"));
    }
    bus->stats.AddRatio("values_per_busy_cycle", "achieved bus throughput while busy", *bus->values_sent,
                        *bus->busy_cycles);
    Bus* raw = bus.get();
    buses_.push_back(std::move(bus));
    sc_core::sc_spawn_options options;
    sc_core::sc_spawn([this, raw] { Arbitrate(*raw); }, (prefix + "bus").c_str(), &options);
  }
}

BusNetwork::Bus& BusNetwork::BusFor(int endpoint, int data_space) const {
  if (endpoint < 0 || endpoint >= config_.n_endpoints || data_space < 0 ||
      data_space >= static_cast<int>(buses_.size())) {
    throw std::out_of_range(std::string(name()) + ": no endpoint " + std::to_string(endpoint) +
                            " / data space " + std::to_string(data_space));
  }
  return *buses_[static_cast<size_t>(data_space)];
}

models::LinkWriteIf<Packet>& BusNetwork::Injection(int endpoint, int data_space) {
  return *BusFor(endpoint, data_space).injection[static_cast<size_t>(endpoint)];
}

models::LinkReadIf<Packet>& BusNetwork::Ejection(int endpoint, int data_space) {
  return *BusFor(endpoint, data_space).ejection[static_cast<size_t>(endpoint)];
}

void BusNetwork::RegisterStats(stats::StatsTree& tree) {
  for (size_t ds = 0; ds < buses_.size(); ++ds) {
    tree.Register(std::string(name()) + "." + config_.data_spaces[ds] + "_bus", buses_[ds]->stats);
  }
}

std::string BusNetwork::WaitingFor() const {
  std::string all;
  for (const auto& bus : buses_) {
    if (!bus->waiting_for.empty()) all += (all.empty() ? "" : "; ") + bus->waiting_for;
  }
  return all;
}

void BusNetwork::CheckDestinations(const Bus& bus, const Packet& packet) const {
  std::vector<int> sorted = packet.destinations;
  std::sort(sorted.begin(), sorted.end());
  const bool bad = sorted.empty() || sorted.front() < 0 || sorted.back() >= config_.n_endpoints ||
                   std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end();
  if (bad || packet.data_space != bus.data_space) {
    throw std::invalid_argument(std::string(name()) + ": packet from endpoint " +
                                std::to_string(packet.source) + " has bad destinations or data space");
  }
}

void BusNetwork::Arbitrate(Bus& bus) {
  const std::string& space = config_.data_spaces[static_cast<size_t>(bus.data_space)];
  const int n = config_.n_endpoints;
  for (;;) {
    Packet packet;
    bool found = false;
    for (int i = 0; i < n && !found; ++i) {
      const int ep = (bus.next_source + i) % n;
      if (bus.injection[static_cast<size_t>(ep)]->TryPop(packet)) {
        found = true;
        bus.next_source = (ep + 1) % n;
      }
    }
    if (!found) {
      bus.waiting_for.clear();
      sc_core::wait(bus.any_injection);
      continue;
    }
    CheckDestinations(bus, packet);

    for (;;) {
      std::vector<int> blocked;
      sc_core::sc_event_or_list space_freed;
      for (int ep : packet.destinations) {
        if (!bus.ejection[static_cast<size_t>(ep)]->CanPush()) {
          blocked.push_back(ep);
          space_freed |= bus.ejection[static_cast<size_t>(ep)]->SpaceEvent();
        }
      }
      if (blocked.empty()) break;
      bus.waiting_for = space + " bus: input queue of endpoint " + std::to_string(blocked.front()) + " full";
      const models::Cycle stalled_from = Now();
      sc_core::wait(space_freed);
      const models::Cycle stalled = Now() - stalled_from;
      bus.stall_cycles->Add(stalled);
      for (int ep : blocked) bus.stall_caused_by[static_cast<size_t>(ep)]->Add(stalled);
    }
    bus.waiting_for.clear();

    const double values = static_cast<double>(packet.values.size());
    const models::Cycle busy =
        bus.channel.width
            ? std::max<models::Cycle>(1, static_cast<models::Cycle>(std::ceil(values / *bus.channel.width)))
            : 1;
    bus.busy_cycles->Add(busy);
    if (busy > 1) sc_core::wait(Cycles(busy - 1));
    for (int ep : packet.destinations) bus.ejection[static_cast<size_t>(ep)]->TryPush(packet);
    bus.packets->Add();
    bus.values_sent->Add(packet.values.size());
    bus.deliveries->Add(packet.values.size() * packet.destinations.size());
    ++progress_;
    sc_core::wait(Cycles(1));  // the bus is occupied through its last busy cycle
  }
}

CYCLOPS_REGISTER_NETWORK("bus", BusNetwork);

}  // namespace cyclops::noc
