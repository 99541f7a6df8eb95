// The spec loader on arbitrary text: one input is one or more YAML files (split at "#@file" lines) that
// are merged, built into typed specs and validated. Only SpecError may come out.
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cyclops;
  fuzz::ExpectOnlySpecErrors([&] { spec::LoadSpecDocuments(fuzz::SplitDocuments(data, size)); });
  return 0;
}
