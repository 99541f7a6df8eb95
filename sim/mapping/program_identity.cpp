#include "sim/mapping/program_identity.h"

#include <sstream>

namespace cyclops::mapping {

namespace {

template <typename T>
void Put(std::ostringstream& out, const std::vector<T>& values) {
  out << '[';
  for (const T& value : values) out << +value << ',';
  out << ']';
}

template <typename T>
void Put(std::ostringstream& out, const std::vector<std::vector<T>>& rows) {
  out << '[';
  for (const std::vector<T>& row : rows) Put(out, row);
  out << ']';
}

void PutNest(std::ostringstream& out, const analysis::LoopNest& nest) {
  out << "nest " << nest.levels() << ':';
  for (int level = 0; level < nest.levels(); ++level) out << nest.FirstLoop(level) << ',';
  for (const analysis::Loop& loop : nest.loops())
    out << '(' << loop.dimension << ' ' << loop.factor << ' ' << loop.residual << ' ' << loop.stride << ' '
        << loop.spatial << ' ' << loop.level << ' ' << loop.y_axis << ')';
  out << '\n';
}

void PutTransfer(std::ostringstream& out, const TransferProgram& t) {
  out << "transfer " << t.data_space << ' ' << t.level << ' ' << t.parent << ' ' << t.read_write << ' '
      << t.parent_is_top << ' ' << t.innermost << ' ' << t.inner_stay << ' ' << t.first_moving << ' '
      << t.parent_moving << ' ' << t.consumers << ' ' << t.region_offset << ' ' << t.parent_region_offset
      << ' ' << t.share_store << ' ';
  Put(out, t.walk);
  Put(out, t.tile_extent);
  Put(out, t.parents);
  Put(out, t.consumer_clusters);
  for (const TransferGroup& group : t.groups) {
    out << '{' << group.parent << ' ';
    Put(out, group.children);
    for (int64_t shift : group.shift) out << shift << ',';
    Put(out, group.member_origins);
    out << '}';
  }
  out << '\n';
}

void PutPe(std::ostringstream& out, const PeProgram& pe) {
  out << "pe " << pe.burst_macs << ' ' << pe.bursts << ' ';
  Put(out, pe.outer);
  Put(out, pe.burst);
  Put(out, pe.operand_level);
  Put(out, pe.acquire_at);
  Put(out, pe.burst_factors);
  Put(out, pe.burst_steps);
  Put(out, pe.weights);
  Put(out, pe.rank_stride);
  Put(out, pe.burst_dimensions);
  Put(out, pe.burst_strides);
  out << '\n';
}

}  // namespace

std::string ProgramIdentity(const LayerProgram& program) {
  std::ostringstream out;
  PutNest(out, *program.nest);
  for (const std::string& name : program.data_spaces) out << name << ',';
  out << " roles " << program.roles.first << ' ' << program.roles.second << ' ' << program.roles.result
      << " psum " << program.psum_bits << " imperfect " << program.imperfect << ' ';
  Put(out, std::vector<int>(program.read_write.begin(), program.read_write.end()));
  Put(out, program.chains);
  Put(out, program.address_space);
  Put(out, program.mac_groups_at);
  out << '\n';
  for (const TransferProgram& transfer : program.transfers) PutTransfer(out, transfer);
  PutPe(out, program.pe);
  for (const PeAssignment& pe : program.pes) {
    out << pe.mac << ' ';
    Put(out, pe.spatial_origin);
    Put(out, pe.operand_instance);
    Put(out, pe.operand_copy);
    Put(out, pe.counts_accesses);
    out << '\n';
  }
  return out.str();
}

}  // namespace cyclops::mapping
