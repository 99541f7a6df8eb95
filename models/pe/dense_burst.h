// A PE's dense MAC burst as the host runs it: the PeProgram's burst loops (sim/mapping/layer_program.h)
// regrouped, once per layer, so that the loops leaving the psum in place run innermost and each psum is
// read, flagged and written once per visit rather than once per MAC; loops that step every operand
// contiguously merge, and the tight reduction of a common short length runs unrolled. Where the innermost
// output loop leaves an operand in place (a weight over output columns, say), up to 8 of its psums are
// summed together, each term's staying value read once for all of them. Integer sums are
// exact in any order, so the values, the first-touch count and every counter are those of the program's
// own order. Plain C++.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cyclops::models {

class DenseBurst {
 public:
  DenseBurst() = default;
  // The program's burst loops, innermost first: their factors and each operand's address step per loop.
  DenseBurst(const std::vector<int64_t>& factor, const std::vector<int64_t>& a_step,
             const std::vector<int64_t>& b_step, const std::vector<int64_t>& o_step);

  // Runs the burst whose first MAC reads a[ai], b[bi] and accumulates into o[oi]; clears the fresh flags of
  // the psums it touches and returns how many were set (first touches read nothing).
  int64_t Run(const int64_t* a, const int64_t* b, int64_t* o, uint8_t* fresh, int64_t ai, int64_t bi,
              int64_t oi) const;

  // Whether the burst runs in blocks over which the first operand (`first`) or the second stays.
  bool BlocksKeep(bool first) const { return blocked_ && b_stays_ != first; }
  // Run's sparse form, where BlocksKeep holds and only the staying operand's zeros count: a term whose
  // staying value is zero adds nothing, so only the nonzero terms are summed. Returns the first touches;
  // adds the MACs whose staying value is zero, and the first touches among them, to `zeros`.
  struct StayingZeros {
    int64_t macs = 0, first_touches = 0;
  };
  int64_t RunOverNonzeros(const int64_t* a, const int64_t* b, int64_t* o, uint8_t* fresh, int64_t ai,
                          int64_t bi, int64_t oi, StayingZeros& zeros) const;

 private:
  struct Loop {
    int64_t factor = 1, a = 0, b = 0, o = 0;
  };
  // A psum's whole reduction from (ai, bi).
  using ReduceFunction = int64_t (*)(const DenseBurst& burst, const int64_t* a, const int64_t* b, int64_t ai,
                                     int64_t bi);
  template <int kN>
  static int64_t ReduceOf(const DenseBurst& burst, const int64_t* a, const int64_t* b, int64_t ai,
                          int64_t bi);
  // Psums along the innermost output loop, where one operand stays, computed kB at a time: each term's
  // staying value read once for the kB psums, whose sums stay in registers. `terms` terms, each the
  // moving operand's offset from mi and the staying operand's offset from si (kListed: its value).
  struct Terms {
    const int64_t* moving = nullptr;
    const int64_t* staying = nullptr;
    size_t count = 0;
  };
  using BlockFunction = int64_t (*)(const Loop& block, int64_t moving_step, const int64_t* moving,
                                    const int64_t* staying, Terms terms, int64_t* o, uint8_t* fresh,
                                    int64_t mi, int64_t si, int64_t oi);
  template <int kB, bool kListed>
  static int64_t Block(const Loop& block, int64_t moving_step, const int64_t* moving, const int64_t* staying,
                       Terms terms, int64_t* o, uint8_t* fresh, int64_t mi, int64_t si, int64_t oi);
  int64_t Blocked(const int64_t* a, const int64_t* b, int64_t* o, uint8_t* fresh, int64_t ai, int64_t bi,
                  int64_t oi, StayingZeros* zeros) const;
  int64_t Elementwise(const int64_t* a, const int64_t* b, int64_t* o, uint8_t* fresh, int64_t ai, int64_t bi,
                      int64_t oi) const;

  std::vector<Loop> reduce_;            // the psum stays: innermost first, the longest innermost
  std::vector<Loop> output_;            // the psum moves: innermost first
  ReduceFunction reduce_fn_ = nullptr;  // for the innermost reduction loop's length
  // Blocked (when the innermost output loop leaves an operand in place and the reduction has few terms):
  // every reduction term's offsets, of the moving and the staying operand; whether b is the staying one.
  bool blocked_ = false, b_stays_ = true;
  std::vector<int64_t> term_moving_, term_staying_;
  // RunOverNonzeros' nonzero terms at one position: the moving offsets and the staying values.
  mutable std::vector<int64_t> nonzero_moving_, nonzero_values_;
  // The odometers' digits, reused by every burst.
  mutable std::vector<int64_t> reduce_index_, output_index_;
};

}  // namespace cyclops::models
