// The SystemC threads of the running layer. Blocks start theirs here when a layer is loaded (the
// hardware is elaborated once; each layer's programs run as dynamic processes). A process that throws has
// its error recorded (SystemC would turn it into an opaque report) and every process of the layer killed,
// so sc_start() returns and the caller rethrows; the watchdog kills them the same way.
#pragma once

#include <exception>
#include <functional>
#include <string>
#include <systemc>
#include <vector>

namespace cyclops::models {

class LayerProcesses {
 public:
  void Spawn(const std::string& name, std::function<void()> body);
  // Records `failure` (the first one wins) and kills every process of the layer but the caller.
  void Abort(std::exception_ptr failure);
  void Clear();  // a new layer
  std::exception_ptr failure() const { return failure_; }

 private:
  std::vector<sc_core::sc_process_handle> handles_;
  std::exception_ptr failure_;
};

}  // namespace cyclops::models
