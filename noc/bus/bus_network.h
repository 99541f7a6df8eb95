// "bus": Eyeriss v1-style flat buses, one per data space, shared by all endpoints.
//
// Per bus, per packet (one SystemC wake-up per packet, none while idle):
//   1. round-robin over the endpoints' injection queues of that data space picks the next packet;
//   2. the packet leaves only when ALL its destinations' input queues can accept it (v1-style multicast:
//      the whole delivery waits for the slowest receiver). Cycles spent waiting are stall cycles of the bus,
//      and each blocking endpoint is charged the cycles it blocked ("stall_cycles_caused_by_ep<N>");
//   3. the bus is busy for ceil(values / width) cycles (1 if width is unlimited); the packet arrives at every
//      destination `latency` cycles after its last busy cycle.
// Counting: values_sent counts each value once however many receivers it has; deliveries counts it once per
// receiver. A packet is the unit of the all-destinations rule: the mapping compiler sets packet sizes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "noc/network_if.h"
#include "sim/stats/stat_group.h"

namespace cyclops::noc {

class BusNetwork : public Network {
 public:
  // std::invalid_argument on no endpoints, a channel count different from the data-space count, a zero
  // width, zero latency or a zero queue depth.
  BusNetwork(sc_core::sc_module_name name, const NetworkConfig& config);

  models::LinkWriteIf<models::Packet>& Injection(int endpoint, int data_space) override;
  models::LinkReadIf<models::Packet>& Ejection(int endpoint, int data_space) override;
  void RegisterStats(stats::StatsTree& tree) override;

  uint64_t Progress() const override { return progress_; }
  std::string WaitingFor() const override;

  const stats::StatGroup& bus_stats(int data_space) const { return buses_.at(data_space)->stats; }

 private:
  using Link = models::BoundedLink<models::Packet>;
  struct Bus {
    int data_space = 0;
    ChannelConfig channel;
    std::vector<std::unique_ptr<Link>> injection;  // [endpoint]
    std::vector<std::unique_ptr<Link>> ejection;   // [endpoint]
    sc_core::sc_event_or_list any_injection;
    int next_source = 0;  // round-robin pointer
    std::string waiting_for;
    stats::StatGroup stats;
    stats::Counter* packets = nullptr;
    stats::Counter* values_sent = nullptr;
    stats::Counter* deliveries = nullptr;
    stats::Counter* busy_cycles = nullptr;
    stats::Counter* stall_cycles = nullptr;
    std::vector<stats::Counter*> stall_caused_by;  // [endpoint]
  };

  void Arbitrate(Bus& bus);  // the bus's SC_THREAD
  void CheckDestinations(const Bus& bus, const models::Packet& packet) const;
  Bus& BusFor(int endpoint, int data_space) const;

  NetworkConfig config_;
  std::vector<std::unique_ptr<Bus>> buses_;  // [data space]
  uint64_t progress_ = 0;
};

}  // namespace cyclops::noc
