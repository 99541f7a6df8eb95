#define SC_INCLUDE_DYNAMIC_PROCESSES  // sc_spawn; must come before the first <systemc>
#include "models/common/layer_processes.h"

namespace cyclops::models {

void LayerProcesses::Spawn(const std::string& name, std::function<void()> body) {
  auto run = [this, body = std::move(body)]() {
    try {
      body();
    } catch (const sc_core::sc_unwind_exception&) {
      throw;  // being killed: SystemC unwinds the thread
    } catch (...) {
      Abort(std::current_exception());
    }
  };
  sc_core::sc_spawn_options options;
  handles_.push_back(sc_core::sc_spawn(run, sc_core::sc_gen_unique_name(name.c_str()), &options));
}

void LayerProcesses::Abort(std::exception_ptr failure) {
  if (!failure_) failure_ = failure;
  const sc_core::sc_process_handle self = sc_core::sc_get_current_process_handle();
  for (sc_core::sc_process_handle& handle : handles_)
    if (handle.valid() && !handle.terminated() && handle != self) handle.kill();
}

void LayerProcesses::Clear() {
  handles_.clear();
  failure_ = nullptr;
}

}  // namespace cyclops::models
