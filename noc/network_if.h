// The on-chip network contract. A Network moves Packets {source endpoint, destination endpoint set
// (several = multicast), data space, values} between numbered endpoints 0..n_endpoints-1.
//
// Contract:
//   - Each (endpoint, data space) has a bounded injection queue (Injection()) and a bounded input queue
//     (Ejection()). Data spaces never share a queue, so one data space cannot block another at an endpoint
//     (no head-of-line deadlock between, say, weights and inputs).
//   - A full input queue back-pressures the network; a full injection queue back-pressures the sender.
//   - Every hop takes >= 1 cycle; a packet pushed at cycle t is never visible before t + 1.
//   - A packet's destinations must be valid endpoints, non-empty, without duplicates (std::invalid_argument).
//   - Counters are kept per link/bus in StatGroups registered under the network's instance name.
//
// Implementations register by name (DESIGN.md decision 11):
//   CYCLOPS_REGISTER_NETWORK("bus", BusNetwork);
// and are made with NetworkRegistry::Make("bus", "top.noc", config).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <systemc>
#include <vector>

#include "models/common/bounded_link.h"
#include "models/common/packet.h"
#include "models/common/watched.h"
#include "sim/core/registry.h"
#include "sim/stats/stats_tree.h"

namespace cyclops::noc {

// Per data-space channel parameters; a topology-based network applies them to each of its links.
struct ChannelConfig {
  std::optional<double> width;  // values per cycle; empty = unlimited (a packet moves in one cycle)
  models::Cycle latency = 1;    // >= 1
};

struct NetworkConfig {
  int n_endpoints = 0;
  std::vector<std::string> data_spaces;   // names; index = data-space id
  std::vector<ChannelConfig> channels;    // one per data space
  std::size_t injection_queue_depth = 2;  // packets per (endpoint, data space)
  std::size_t input_queue_depth = 2;      // packets per (endpoint, data space)
};

class Network : public sc_core::sc_module, public models::Watched {
 public:
  virtual models::LinkWriteIf<models::Packet>& Injection(int endpoint, int data_space) = 0;
  virtual models::LinkReadIf<models::Packet>& Ejection(int endpoint, int data_space) = 0;
  virtual void RegisterStats(stats::StatsTree& tree) = 0;

  std::string WatchName() const override { return name(); }

 protected:
  explicit Network(sc_core::sc_module_name name) : sc_core::sc_module(name) {}
};

using NetworkRegistry = Registry<Network, const std::string&, const NetworkConfig&>;

}  // namespace cyclops::noc

#define CYCLOPS_REGISTER_NETWORK(name, Type)                                                           \
  [[maybe_unused]] static const bool kRegisteredNetwork_##Type = ::cyclops::noc::NetworkRegistry::Add( \
      name, [](const std::string& instance, const ::cyclops::noc::NetworkConfig& config) {             \
        return std::make_unique<Type>(sc_core::sc_module_name(instance.c_str()), config);              \
      })
