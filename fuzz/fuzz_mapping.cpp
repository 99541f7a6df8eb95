// The mapping legality checks on arbitrary mappings of fixed, valid architectures and problems: the
// first byte picks the pair, the rest is a mapping file. A mapping that loads is checked against the
// mapspace and analysed (a tile may not fit: SpecError), and written back as mapping YAML, which must
// load again to the same mapping.
#include <array>

#include "fuzz/fuzz_input.h"
#include "sim/analysis/analysis.h"
#include "sim/mapping/mapping_yaml.h"
#include "sim/mapping/mapspace.h"

namespace {

struct Pair {
  std::string architecture, problem, energy;
};

const std::array<Pair, 3>& Pairs() {
  using cyclops::fuzz::SourceFile;
  static const std::array<Pair, 3> pairs = {
      Pair{SourceFile("configs/examples/eyeriss_like/arch.yaml"),
           SourceFile("configs/examples/eyeriss_like/conv_layer.yaml"),
           SourceFile("configs/examples/eyeriss_like/ERT.yaml")},
      Pair{SourceFile("configs/arch/eyeriss_v1.yaml"),
           SourceFile("configs/workloads/layers/alexnet_conv3.yaml"),
           SourceFile("configs/energy/eyeriss_v1_65nm_relative.yaml")},
      Pair{SourceFile("configs/arch/eyeriss_v2.yaml"),
           SourceFile("configs/workloads/layers/mobilenet_v1_dw13.yaml"),
           SourceFile("configs/energy/eyeriss_v2_65nm_relative.yaml")},
  };
  return pairs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cyclops;
  if (size == 0) return 0;
  const Pair& pair = Pairs()[data[0] % Pairs().size()];
  const std::string mapping(reinterpret_cast<const char*>(data + 1), size - 1);
  fuzz::ExpectOnlySpecErrors([&] {
    const spec::Spec spec = spec::LoadSpecDocuments({{"arch.yaml", pair.architecture},
                                                     {"problem.yaml", pair.problem},
                                                     {"ERT.yaml", pair.energy},
                                                     {"mapping.yaml", mapping}});
    if (!spec.mapping) return;
    mapping::MapSpace(*spec.architecture, *spec.workload).Violation(*spec.mapping);
    const std::string written = mapping::MappingYaml(*spec.architecture, *spec.workload, *spec.mapping);
    const spec::Spec reread = spec::LoadSpecDocuments(
        {{"arch.yaml", pair.architecture}, {"problem.yaml", pair.problem}, {"written.yaml", written}});
    if (mapping::CanonicalKey(*spec.workload, *reread.mapping) !=
        mapping::CanonicalKey(*spec.workload, *spec.mapping)) {
      std::fprintf(stderr, "finding: the mapping written back reads as a different mapping:\n%s",
                   written.c_str());
      std::abort();
    }
    analysis::Analyze(*spec.architecture, *spec.workload, *spec.mapping, &*spec.energy);
  });
  return 0;
}
