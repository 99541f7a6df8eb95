// `cyclops layer-worker --arch FILE...`: what `cyclops network --jobs N` starts N of. It elaborates the
// accelerator once and runs the layers the network process sends it, one per line on stdin, answering one
// line each on stdout (sim/network/layer_executor.h). Not meant to be run by hand.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "sim/cli/command.h"
#include "sim/cli/noc_sweep.h"
#include "sim/core/error.h"
#include "sim/network/layer_executor.h"
#include "sim/spec/loader.h"

namespace cyclops::cli {
namespace {

class LayerWorkerCommand : public Command {
 public:
  std::string Summary() const override { return "(internal) a worker process of `cyclops network --jobs N`"; }
  void AddOptions(CLI::App& command) override {
    command.add_option("--arch", arch_files_, "Architecture files (keys merge)")->required();
    command.add_option("--bus-width", bus_width_, "Values per cycle on every fan-out bus");
    command.add_option("--noc", noc_, "'spec' or 'none'")->check(CLI::IsMember({"spec", "none"}));
    command.add_option("--noc-param", noc_params_, "NAME=VALUE (repeatable)");
    command.add_option("--value-bits", settings_.value_bits, "Operand precision")->required();
    command.add_option("--psum-bits", settings_.psum_bits, "Accumulator width")->required();
    command.add_option("--dram-word-bits", settings_.dram_word_bits, "Bits per outermost-level value")
        ->required();
  }
  int Run() override {
    const spec::Spec spec = spec::LoadSpecFiles(arch_files_);
    if (!spec.architecture)
      throw SpecError({arch_files_.front(), 0, 0, ""}, "no architecture", "an architecture file");
    top::HardwareOptions hardware;
    hardware.bus_width = bus_width_;
    hardware.use_noc = noc_ == "spec";
    top::UseCyclopsSettings(spec.cyclops, hardware);
    for (const std::string& param : noc_params_)
      hardware.noc_params.insert(ParseNocParam("--noc-param", param));
    top::Accelerator accelerator(*spec.architecture, hardware);
    return network::ServeLayerTasks(accelerator, settings_, STDIN_FILENO, STDOUT_FILENO);
  }

 private:
  std::vector<std::string> arch_files_;
  std::optional<double> bus_width_;
  std::string noc_ = "spec";
  std::vector<std::string> noc_params_;
  network::ExecutionSettings settings_;
};

CYCLOPS_REGISTER_COMMAND("layer-worker", LayerWorkerCommand);

}  // namespace
}  // namespace cyclops::cli
