#include "sim/spec/network_loader.h"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

namespace {

const std::vector<std::string> kProblemKeys = {"G", "C", "M",       "R",       "S",         "N",
                                               "P", "Q", "Wstride", "Hstride", "Wdilation", "Hdilation"};
const std::vector<std::string> kParamKeys = {"pad", "kernel", "stride", "min", "max"};

std::string ReadWholeFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw SpecError({path, 0, 0, ""}, "cannot open the file", "a path to a readable YAML file");
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

SocSpec ReadSoc(const YamlNode& node) {
  node.CheckKeys({"dma_setup_cycles", "dma_bytes_per_cycle", "host_cycles_per_byte", "host_cycles_per_tile",
                  "non_mac_unit", "vector_ops_per_cycle", "vector_setup_cycles", "host_ops_per_cycle",
                  "overlap", "accelerators"});
  SocSpec soc;
  soc.where = node.Where();
  auto positive = [&](const char* key, double& value) {
    if (auto found = node.Find(key)) {
      value = found->AsDouble();
      if (!(value > 0) || !std::isfinite(value)) found->Fail("must be positive", "a finite number > 0");
    }
  };
  if (auto found = node.Find("dma_setup_cycles")) soc.dma_setup_cycles = found->AsIntAtLeast(0);
  if (auto found = node.Find("host_cycles_per_tile")) soc.host_cycles_per_tile = found->AsIntAtLeast(0);
  if (auto found = node.Find("vector_setup_cycles")) soc.vector_setup_cycles = found->AsIntAtLeast(0);
  positive("dma_bytes_per_cycle", soc.dma_bytes_per_cycle);
  positive("vector_ops_per_cycle", soc.vector_ops_per_cycle);
  positive("host_ops_per_cycle", soc.host_ops_per_cycle);
  if (auto found = node.Find("host_cycles_per_byte")) {
    soc.host_cycles_per_byte = found->AsDouble();
    if (!(soc.host_cycles_per_byte >= 0) || !std::isfinite(soc.host_cycles_per_byte))
      found->Fail("must not be negative", "a finite number >= 0");
  }
  if (auto found = node.Find("overlap")) soc.overlap = found->AsBool();
  if (auto found = node.Find("accelerators")) {
    soc.accelerators = found->AsIntAtLeast(1);
    if (soc.accelerators > 64) found->Fail("more than 64 accelerators", "1 to 64");
    if (soc.accelerators > 1 && !soc.overlap)
      found->Fail("several accelerators run at once only with overlap", "overlap: true, or accelerators: 1");
  }
  if (auto found = node.Find("non_mac_unit")) {
    soc.non_mac_unit = found->AsString();
    if (soc.non_mac_unit != "vector" && soc.non_mac_unit != "host")
      found->Fail("unknown unit '" + soc.non_mac_unit + "'", "vector, host");
  }
  return soc;
}

NetworkLayerSpec ReadLayer(const YamlNode& node, std::set<std::string>& names) {
  node.ExpectMap("a layer: a map with name and op");
  std::vector<std::string> allowed = {"name", "op", "inputs", "problem", "note", "prune"};
  allowed.insert(allowed.end(), kParamKeys.begin(), kParamKeys.end());
  node.CheckKeys(allowed);
  NetworkLayerSpec layer;
  layer.where = node.Where();
  const YamlNode name = node.Require("name");
  layer.name = name.AsString();
  if (layer.name == "input") name.Fail("'input' names the network input", "another layer name");
  if (!names.insert(layer.name).second)
    name.Fail("layer '" + layer.name + "' is defined twice", "unique names");
  layer.op = node.Require("op").AsString();
  if (auto inputs = node.Find("inputs")) {
    for (const YamlNode& item : inputs->Items()) {
      const std::string input = item.AsString();
      if ((input != "input" && !names.count(input)) || input == layer.name)
        item.Fail("'" + input + "' is not an earlier layer", "'input' or the name of a layer defined above");
      layer.inputs.push_back(input);
    }
  }
  if (auto problem = node.Find("problem")) {
    problem->CheckKeys(kProblemKeys);
    for (const YamlNode::Entry& entry : problem->Entries())
      layer.problem[entry.key] = entry.value.AsIntAtLeast(1);
  }
  for (const std::string& key : kParamKeys)
    if (auto value = node.Find(key)) {  // a zero kernel or stride would divide by zero; pads are not negative
      const int64_t minimum = key == "kernel" || key == "stride" ? 1 : key == "pad" ? 0 : INT64_MIN;
      layer.params[key] = value->AsIntAtLeast(minimum);
    }
  if (auto note = node.Find("note")) layer.note = note->AsString();
  if (auto prune = node.Find("prune")) {  // magnitude pruning of the layer's seeded weights
    if (layer.problem.empty())
      prune->Fail("'prune' on a layer without weights", "prune on a MAC layer (with a problem)");
    const double density = prune->AsDouble();
    if (!(density >= 0.0 && density <= 1.0))
      prune->Fail("a pruning density of " + prune->AsText(), "a density from 0 to 1 (the weights kept)");
    layer.reals["prune"] = density;
  }
  return layer;
}

}  // namespace

NetworkSpec LoadNetworkDocument(const std::string& name, const std::string& text) {
  const YamlNode root = ParseYamlDocument(name, text);
  root.ExpectMap("a map with the key 'network' (and optionally 'soc')");
  root.CheckKeys({"network", "soc"});
  const YamlNode network = root.Require("network");
  network.CheckKeys({"name", "input", "layers"});
  NetworkSpec spec;
  spec.where = network.Where();
  spec.name = network.Require("name").AsString();
  const YamlNode input = network.Require("input");
  input.CheckKeys({"channels", "height", "width"});
  spec.input_dims = {1, input.Require("channels").AsIntAtLeast(1), input.Require("height").AsIntAtLeast(1),
                     input.Require("width").AsIntAtLeast(1)};
  const YamlNode layers = network.Require("layers");
  std::set<std::string> names;
  for (const YamlNode& item : layers.Items()) spec.layers.push_back(ReadLayer(item, names));
  if (spec.layers.empty()) layers.Fail("the network has no layers", "a list of layers");
  if (auto soc = root.Find("soc")) spec.soc = ReadSoc(*soc);
  return spec;
}

NetworkSpec LoadNetworkFile(const std::string& path) {
  return LoadNetworkDocument(path, ReadWholeFile(path));
}

SocSpec LoadSocFile(const std::string& path) {
  const YamlNode root = ParseYamlDocument(path, ReadWholeFile(path));
  root.ExpectMap("a map with the key 'soc'");
  root.CheckKeys({"soc"});
  return ReadSoc(root.Require("soc"));
}

}  // namespace cyclops::spec
