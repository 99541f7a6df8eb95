// The PE instruction set: compact, loop-structured microcode (DESIGN.md decision 6). A program's size grows
// with the mapping (loop nest depth, tile shapes), not with the number of MACs. Instructions are immutable
// values; all run-time state (pc, loop counters, spad contents) lives in the ProcessingElement.
//
// Addressing. Every spad access uses a Stream: value i of an access (or the MAC at burst loop indices
// i0..i3) touches
//     base + i0*stride[0] + i1*stride[1] + i2*stride[2] + i3*stride[3] + L*outer_stride
// in spad `spad`, where L is the iteration index (0-based) of the innermost enclosing LOOP (0 outside any
// loop). RECV and SEND use only stride[0] (value index i = i0).
//
// Instructions:
//   RECV  data_space count -> stream      pop `count` values of data_space from the PE's input for that data
//                                          space (as many packets as needed) and fill the spad
//   MAC_BURST counts[4] input weight psum  for i3, i2, i1, i0 (i0 innermost; unused levels count 1):
//                                          psum[@] = wrap(psum[@] + input[@] * weight[@])
//   SEND  data_space count <- stream route read `count` values, send them as one packet to the endpoints of
//                                          routes[route]; `clear` zeroes them afterwards (a drained psum)
//   LOOP  count ... END                    repeat the body `count` times (nestable)
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace cyclops::models::pe {

constexpr int kBurstLevels = 4;

struct Stream {
  int spad = 0;
  int64_t base = 0;
  std::array<int64_t, kBurstLevels> stride{};
  int64_t outer_stride = 0;

  int64_t Address(const std::array<int64_t, kBurstLevels>& index, int64_t loop_iteration) const {
    int64_t address = base + loop_iteration * outer_stride;
    for (int l = 0; l < kBurstLevels; ++l) address += index[l] * stride[l];
    return address;
  }
};

struct Recv {
  int data_space = 0;
  uint32_t count = 0;
  Stream to;
};

struct MacBurst {
  std::array<uint32_t, kBurstLevels> counts{1, 1, 1, 1};  // innermost first
  Stream input;
  Stream weight;
  Stream psum;  // read-modify-write

  uint64_t Macs() const {
    uint64_t n = 1;
    for (uint32_t c : counts) n *= c;
    return n;
  }
};

struct Send {
  int data_space = 0;
  uint32_t count = 0;
  Stream from;
  int route = 0;
  bool clear = false;
};

struct Loop {
  uint32_t count = 1;
};

struct End {};

using Instruction = std::variant<Recv, MacBurst, Send, Loop, End>;

// What the mapping compiler hands a PE for one layer.
struct Program {
  std::vector<Instruction> code;
  std::vector<std::vector<int>> routes;  // SEND route index → destination endpoints (several = multicast)

  // Throws std::invalid_argument naming the pc for: unbalanced LOOP/END, a zero count, a route index out of
  // range, or a spad index >= n_spads.
  void Validate(int n_spads) const;
  // MACs the program performs (loops expanded arithmetically, not executed).
  uint64_t MacCount() const;
};

// A listing a person can read: one line per instruction, indented by loop depth, with data space names
// when given (else their indices).
std::string Disassemble(const Program& program, const std::vector<std::string>& data_space_names = {});

}  // namespace cyclops::models::pe
