// The ONNX importer on arbitrary bytes (written to a temporary file, which is what it reads). The first
// byte's low bit sets skip_unsupported. Only SpecError may come out.
#include <unistd.h>

#include <cstdio>

#include "fuzz/fuzz_input.h"
#include "sim/network/onnx_importer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cyclops;
  if (size == 0) return 0;
  static const std::string path = "/tmp/cyclops-fuzz-onnx-" + std::to_string(getpid()) + ".onnx";
  FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) std::abort();
  std::fwrite(data + 1, 1, size - 1, file);
  std::fclose(file);
  fuzz::ExpectOnlySpecErrors([&] { network::ImportOnnx(path, (data[0] & 1) != 0); });
  return 0;
}

// The network library links SystemC, whose shared library wants an sc_main; the harness never
// elaborates anything.
extern "C" int sc_main(int, char**) {
  return 0;
}
