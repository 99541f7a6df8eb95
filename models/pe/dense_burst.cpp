#include "models/pe/dense_burst.h"

#include <algorithm>
#include <array>
#include <utility>

namespace cyclops::models {

namespace {

constexpr int kUnrolled = 16;
// The blocked form's limits: psums per block (sums kept in registers) and reduction terms listed.
constexpr int kBlock = 8;
constexpr int64_t kListedTerms = 1024;

// Merges each loop into the one inside it when it continues that loop's steps in every operand.
template <typename Loop>
std::vector<Loop> Merged(const std::vector<Loop>& loops) {
  std::vector<Loop> merged;
  for (const Loop& loop : loops) {
    if (!merged.empty()) {
      Loop& in = merged.back();
      if (loop.a == in.a * in.factor && loop.b == in.b * in.factor && loop.o == in.o * in.factor) {
        in.factor *= loop.factor;
        continue;
      }
    }
    merged.push_back(loop);
  }
  return merged;
}

// One step of an odometer over `loops`, moving the addresses; false once every digit has wrapped.
template <typename Loop>
[[gnu::always_inline]] inline bool Step(const std::vector<Loop>& loops, size_t from,
                                        std::vector<int64_t>& index, int64_t& a, int64_t& b, int64_t& o) {
  for (size_t l = from; l < loops.size(); ++l) {
    a += loops[l].a, b += loops[l].b, o += loops[l].o;
    if (++index[l] < loops[l].factor) return true;
    a -= loops[l].a * index[l], b -= loops[l].b * index[l], o -= loops[l].o * index[l];
    index[l] = 0;
  }
  return false;
}

}  // namespace

// The reduction loops from (ai, bi): the tight loop (kN iterations, fixed at compile time for the common
// short lengths, so it unrolls with no loop branch to mispredict; 0: its run-time factor), stepped by an
// odometer over the others.
template <int kN>
int64_t DenseBurst::ReduceOf(const DenseBurst& burst, const int64_t* a, const int64_t* b, int64_t ai,
                             int64_t bi) {
  const Loop& tight = burst.reduce_[0];
  const int64_t n = kN > 0 ? kN : tight.factor, as = tight.a, bs = tight.b;
  int64_t sum = 0, unused = 0;
  while (true) {
    const int64_t* x = a + ai;
    const int64_t* y = b + bi;
    for (int64_t i = 0; i < n; ++i) sum += x[i * as] * y[i * bs];
    if (!Step(burst.reduce_, 1, burst.reduce_index_, ai, bi, unused)) break;
  }
  return sum;
}

template <int kB, bool kListed>
int64_t DenseBurst::Block(const Loop& block, int64_t moving_step, const int64_t* moving,
                          const int64_t* staying, Terms terms, int64_t* o, uint8_t* fresh, int64_t mi,
                          int64_t si, int64_t oi) {
  int64_t sum[kB] = {};
  for (size_t t = 0; t < terms.count; ++t) {
    const int64_t w = kListed ? terms.staying[t] : staying[si + terms.staying[t]];
    const int64_t* x = moving + mi + terms.moving[t];
    for (int j = 0; j < kB; ++j) sum[j] += x[j * moving_step] * w;
  }
  int64_t first_touches = 0;
  for (int j = 0; j < kB; ++j) {
    const int64_t at = oi + j * block.o;
    first_touches += fresh[at];
    fresh[at] = 0;
    o[at] += sum[j];
  }
  return first_touches;
}

int64_t DenseBurst::Blocked(const int64_t* a, const int64_t* b, int64_t* o, uint8_t* fresh, int64_t ai,
                            int64_t bi, int64_t oi, StayingZeros* zeros) const {
  static constexpr auto kBlocks = []<size_t... kB>(std::index_sequence<kB...>) {
    return std::array<std::array<BlockFunction, sizeof...(kB)>, 2>{
        {{&Block<static_cast<int>(kB) + 1, false>...}, {&Block<static_cast<int>(kB) + 1, true>...}}};
  }
  (std::make_index_sequence<kBlock>());
  const Loop& block = output_[0];
  const int64_t* moving = b_stays_ ? a : b;
  const int64_t* staying = b_stays_ ? b : a;
  const int64_t ms = b_stays_ ? block.a : block.b;
  const size_t all_terms = term_moving_.size();
  Terms terms{term_moving_.data(), term_staying_.data(), all_terms};
  int64_t first_touches = 0;
  while (true) {
    const int64_t mi = b_stays_ ? ai : bi, si = b_stays_ ? bi : ai;
    bool first_term_zero = false;
    if (zeros != nullptr) {  // the nonzero terms here, branch-free (the first term's offsets are 0)
      size_t n = 0;
      for (size_t t = 0; t < all_terms; ++t) {
        const int64_t w = staying[si + term_staying_[t]];
        nonzero_moving_[n] = term_moving_[t], nonzero_values_[n] = w;
        n += w != 0;
      }
      zeros->macs += static_cast<int64_t>(all_terms - n) * block.factor;
      first_term_zero = staying[si] == 0;
      terms = {nonzero_moving_.data(), nonzero_values_.data(), n};
    }
    for (int64_t j = 0; j < block.factor; j += kBlock) {
      const int64_t count = std::min<int64_t>(kBlock, block.factor - j);
      const int64_t touched = kBlocks[zeros != nullptr][static_cast<size_t>(count - 1)](
          block, ms, moving, staying, terms, o, fresh, mi + j * ms, si, oi + j * block.o);
      first_touches += touched;
      if (first_term_zero) zeros->first_touches += touched;
    }
    if (!Step(output_, 1, output_index_, ai, bi, oi)) break;
  }
  return first_touches;
}

int64_t DenseBurst::RunOverNonzeros(const int64_t* a, const int64_t* b, int64_t* o, uint8_t* fresh,
                                    int64_t ai, int64_t bi, int64_t oi, StayingZeros& zeros) const {
  return Blocked(a, b, o, fresh, ai, bi, oi, &zeros);
}

DenseBurst::DenseBurst(const std::vector<int64_t>& factor, const std::vector<int64_t>& a_step,
                       const std::vector<int64_t>& b_step, const std::vector<int64_t>& o_step) {
  std::vector<Loop> reduce, output;
  for (size_t l = 0; l < factor.size(); ++l) {
    if (factor[l] <= 1) continue;
    (o_step[l] == 0 ? reduce : output).push_back({factor[l], a_step[l], b_step[l], o_step[l]});
  }
  if (!reduce.empty()) {  // the longest reduction innermost, the others in the program's order
    const auto longest = std::max_element(reduce.begin(), reduce.end(),
                                          [](const Loop& x, const Loop& y) { return x.factor < y.factor; });
    std::rotate(reduce.begin(), longest, longest + 1);
  }
  reduce_ = Merged(reduce);
  output_ = Merged(output);
  reduce_index_.assign(reduce_.size(), 0);
  output_index_.assign(output_.size(), 0);
  const auto table = []<size_t... kN>(std::index_sequence<kN...>) {
    return std::array<ReduceFunction, sizeof...(kN)>{&ReduceOf<static_cast<int>(kN)>...};
  };
  const std::array<ReduceFunction, kUnrolled + 1> kReduces = table(std::make_index_sequence<kUnrolled + 1>());
  if (!reduce_.empty())
    reduce_fn_ = kReduces[reduce_[0].factor <= kUnrolled ? static_cast<size_t>(reduce_[0].factor) : 0];
  int64_t terms = 1;
  for (const Loop& loop : reduce_) terms = std::min(terms * loop.factor, kListedTerms + 1);
  blocked_ = !reduce_.empty() && !output_.empty() && (output_[0].a == 0 || output_[0].b == 0) &&
             terms <= kListedTerms;
  if (!blocked_) return;
  b_stays_ = output_[0].b == 0;
  int64_t ai = 0, bi = 0, unused = 0;
  do {  // every term's offsets, in the odometer's order
    term_moving_.push_back(b_stays_ ? ai : bi);
    term_staying_.push_back(b_stays_ ? bi : ai);
  } while (Step(reduce_, 0, reduce_index_, ai, bi, unused));
  nonzero_moving_.resize(term_moving_.size());
  nonzero_values_.resize(term_moving_.size());
}

int64_t DenseBurst::Run(const int64_t* a, const int64_t* b, int64_t* o, uint8_t* fresh, int64_t ai,
                        int64_t bi, int64_t oi) const {
  if (reduce_.empty()) return Elementwise(a, b, o, fresh, ai, bi, oi);
  if (blocked_) return Blocked(a, b, o, fresh, ai, bi, oi, nullptr);
  int64_t first_touches = 0;
  while (true) {  // every psum the burst touches: its whole reduction, then one update
    const int64_t sum = reduce_fn_(*this, a, b, ai, bi);
    first_touches += fresh[oi];
    fresh[oi] = 0;
    o[oi] += sum;
    if (!Step(output_, 0, output_index_, ai, bi, oi)) break;
  }
  return first_touches;
}

// No loop leaves the psum in place: MAC by MAC along the innermost loop.
int64_t DenseBurst::Elementwise(const int64_t* a, const int64_t* b, int64_t* o, uint8_t* fresh, int64_t ai,
                                int64_t bi, int64_t oi) const {
  const int64_t n = output_.empty() ? 1 : output_[0].factor;
  const int64_t as = output_.empty() ? 0 : output_[0].a, bs = output_.empty() ? 0 : output_[0].b;
  const int64_t os = output_.empty() ? 0 : output_[0].o;
  int64_t first_touches = 0;
  while (true) {
    for (int64_t i = 0; i < n; ++i) {
      const int64_t at = oi + i * os;
      first_touches += fresh[at];
      fresh[at] = 0;
      o[at] += a[ai + i * as] * b[bi + i * bs];
    }
    if (!Step(output_, 1, output_index_, ai, bi, oi)) break;
  }
  return first_touches;
}

}  // namespace cyclops::models
