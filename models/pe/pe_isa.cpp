#include "models/pe/pe_isa.h"

#include <sstream>
#include <stdexcept>

namespace cyclops::models::pe {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::string Where(size_t pc) {
  return "PE program pc " + std::to_string(pc) + ": ";
}

void CheckSpad(const Stream& stream, int n_spads, size_t pc) {
  if (stream.spad < 0 || stream.spad >= n_spads) {
    throw std::invalid_argument(Where(pc) + "spad " + std::to_string(stream.spad) +
                                " does not exist (PE has " + std::to_string(n_spads) + ")");
  }
}

std::string Show(const Stream& s, int levels) {
  std::ostringstream out;
  out << "spad" << s.spad << "[" << s.base;
  const char* kIndex[kBurstLevels] = {"i", "j", "k", "l"};
  for (int l = 0; l < levels; ++l) {
    if (s.stride[l] != 0) out << " " << (s.stride[l] < 0 ? "-" : "+") << std::llabs(s.stride[l]) << kIndex[l];
  }
  if (s.outer_stride != 0)
    out << " " << (s.outer_stride < 0 ? "-" : "+") << std::llabs(s.outer_stride) << "L";
  out << "]";
  return out.str();
}

std::string SpaceName(int ds, const std::vector<std::string>& names) {
  return ds >= 0 && ds < static_cast<int>(names.size()) ? names[ds] : "ds" + std::to_string(ds);
}

}  // namespace

void Program::Validate(int n_spads) const {
  int depth = 0;
  for (size_t pc = 0; pc < code.size(); ++pc) {
    std::visit(
        Overloaded{
            [&](const Recv& r) {
              if (r.count == 0) throw std::invalid_argument(Where(pc) + "RECV of 0 values");
              CheckSpad(r.to, n_spads, pc);
            },
            [&](const MacBurst& m) {
              if (m.Macs() == 0) throw std::invalid_argument(Where(pc) + "MAC_BURST with a zero count");
              CheckSpad(m.input, n_spads, pc);
              CheckSpad(m.weight, n_spads, pc);
              CheckSpad(m.psum, n_spads, pc);
            },
            [&](const Send& s) {
              if (s.count == 0) throw std::invalid_argument(Where(pc) + "SEND of 0 values");
              if (s.route < 0 || s.route >= static_cast<int>(routes.size()) || routes[s.route].empty()) {
                throw std::invalid_argument(Where(pc) + "SEND route " + std::to_string(s.route) +
                                            " is not a non-empty entry of the route table");
              }
              CheckSpad(s.from, n_spads, pc);
            },
            [&](const Loop& l) {
              if (l.count == 0) throw std::invalid_argument(Where(pc) + "LOOP 0");
              ++depth;
            },
            [&](const End&) {
              if (--depth < 0) throw std::invalid_argument(Where(pc) + "END without LOOP");
            },
        },
        code[pc]);
  }
  if (depth != 0)
    throw std::invalid_argument("PE program: " + std::to_string(depth) + " LOOP(s) without END");
}

uint64_t Program::MacCount() const {
  std::vector<uint64_t> multiplier{1};
  uint64_t total = 0;
  for (const Instruction& instruction : code) {
    if (const auto* loop = std::get_if<Loop>(&instruction))
      multiplier.push_back(multiplier.back() * loop->count);
    if (std::holds_alternative<End>(instruction) && multiplier.size() > 1) multiplier.pop_back();
    if (const auto* mac = std::get_if<MacBurst>(&instruction)) total += multiplier.back() * mac->Macs();
  }
  return total;
}

std::string Disassemble(const Program& program, const std::vector<std::string>& names) {
  std::ostringstream out;
  int depth = 0;
  for (size_t pc = 0; pc < program.code.size(); ++pc) {
    const Instruction& instruction = program.code[pc];
    if (std::holds_alternative<End>(instruction) && depth > 0) --depth;
    out << (pc < 10 ? "   " : pc < 100 ? "  " : " ") << pc << "  " << std::string(2 * depth, ' ');
    std::visit(Overloaded{
                   [&](const Recv& r) {
                     out << "RECV      " << SpaceName(r.data_space, names) << " x" << r.count << " -> "
                         << Show(r.to, 1);
                   },
                   [&](const MacBurst& m) {
                     int levels = kBurstLevels;
                     while (levels > 1 && m.counts[levels - 1] == 1) --levels;
                     out << "MAC_BURST [";
                     for (int l = 0; l < levels; ++l) out << (l ? "," : "") << m.counts[l];
                     out << "] " << Show(m.psum, levels) << " += " << Show(m.input, levels) << " * "
                         << Show(m.weight, levels) << "  (" << m.Macs() << " MACs)";
                   },
                   [&](const Send& s) {
                     out << "SEND      " << SpaceName(s.data_space, names) << " x" << s.count << " <- "
                         << Show(s.from, 1) << " route " << s.route << " {";
                     if (s.route >= 0 && s.route < static_cast<int>(program.routes.size())) {
                       const auto& route = program.routes[s.route];
                       for (size_t i = 0; i < route.size(); ++i) out << (i ? "," : "") << route[i];
                     }
                     out << "}" << (s.clear ? " clear" : "");
                   },
                   [&](const Loop& l) {
                     out << "LOOP      " << l.count;
                     ++depth;
                   },
                   [&](const End&) { out << "END"; },
               },
               instruction);
    out << '\n';
  }
  return out.str();
}

}  // namespace cyclops::models::pe
