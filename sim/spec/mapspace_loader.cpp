#include "sim/spec/mapspace_loader.h"

#include "sim/spec/constraints_loader.h"

namespace cyclops::spec {

namespace {

void CheckVersion(const YamlNode& node) {
  auto version = node.Find("version");
  if (!version) return;
  const std::string text = version->AsString();
  if (text != "0.4" && text != "0.3") version->Fail("unsupported version '" + text + "'", "0.4 (or 0.3)");
}

// The list of targets inside a map that may hold it under `targets` or (older files) `constraints`.
void LoadTargetsOf(const YamlNode& node, const Workload& workload, Architecture& architecture) {
  auto targets = node.Find("targets");
  auto constraints = node.Find("constraints");
  if (targets && constraints)
    constraints->Fail("give the constraints under 'targets' or 'constraints', not both", "targets: [...]");
  if (constraints && constraints->IsScalar())
    constraints->Fail("named constraint sets ('constraints: NAME' with 'constraints_NAME') are not supported",
                      "the list itself: targets: [{target, type, ...}]");
  if (auto list = targets ? targets : constraints) LoadConstraintTargets(*list, workload, architecture);
}

}  // namespace

void LoadMapspaceConstraints(const YamlNode& node, const std::string& key, const Workload& workload,
                             Architecture& architecture, std::vector<std::string>& /*notes*/) {
  if (node.IsList()) {
    LoadConstraintTargets(node, workload, architecture);
    return;
  }
  if (key == "mapspace_constraints") {
    node.ExpectMap("mapspace constraints {version, targets: [...]} or a list of targets");
    node.CheckKeys({"version", "targets", "constraints"});
    CheckVersion(node);
    LoadTargetsOf(node, workload, architecture);
    return;
  }
  node.ExpectMap("a mapspace {version, template, targets: [...]}");
  node.CheckKeys({"version", "template", "targets", "constraints"});
  CheckVersion(node);
  if (auto template_node = node.Find("template")) {
    const std::string name = template_node->AsString();
    if (name == "ruby")
      architecture.imperfect_mapspace = true;  // Timeloop's imperfect factorisation
    else if (name != "uber")
      template_node->Fail("unknown mapspace template '" + name + "'", "uber, ruby");
  }
  LoadTargetsOf(node, workload, architecture);
}

}  // namespace cyclops::spec
