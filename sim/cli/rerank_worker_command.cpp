// `cyclops rerank-worker FILES...`: what `cyclops map --sim-rerank K --jobs N` starts N of. It elaborates
// the accelerator of FILES once and runs the candidates the map process sends it, one per line on stdin,
// answering one line each on stdout (sim/cli/rerank_run.h). Not meant to be run by hand.
#include <unistd.h>

#include <CLI/CLI.hpp>

#include "sim/cli/command.h"
#include "sim/cli/rerank_run.h"
#include "sim/core/error.h"
#include "sim/spec/loader.h"

namespace cyclops::cli {
namespace {

class RerankWorkerCommand : public Command {
 public:
  std::string Summary() const override {
    return "(internal) a worker process of `cyclops map --sim-rerank K --jobs N`";
  }
  void AddOptions(CLI::App& command) override {
    command.add_option("files", setting_.files, "Spec files without a mapping")->required();
    command.add_flag("--noc-bound", setting_.noc_bound, "The summaries' analysis carries the NoC bound");
  }
  int Run() override {
    const spec::Spec spec = spec::LoadSpecFiles(setting_.files);
    if (!spec.architecture)
      throw SpecError({setting_.files.front(), 0, 0, ""}, "no architecture", "an architecture file");
    top::HardwareOptions hardware;
    top::UseCyclopsSettings(spec.cyclops, hardware);
    top::Accelerator accelerator(*spec.architecture, hardware);
    return ServeCandidates(accelerator, setting_, STDIN_FILENO, STDOUT_FILENO);
  }

 private:
  CandidateSetting setting_;
};

CYCLOPS_REGISTER_COMMAND("rerank-worker", RerankWorkerCommand);

}  // namespace
}  // namespace cyclops::cli
