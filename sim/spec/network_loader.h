// Reads a network description (configs/workloads/networks/README.md) into a NetworkSpec. Every problem
// throws SpecError naming file, line, column and key path, as the other spec loaders do.
#pragma once

#include <string>

#include "sim/spec/network_spec.h"

namespace cyclops::spec {

NetworkSpec LoadNetworkFile(const std::string& path);
NetworkSpec LoadNetworkDocument(const std::string& name, const std::string& text);
// A file holding only a top-level `soc:` key (cyclops network --soc FILE).
SocSpec LoadSocFile(const std::string& path);

}  // namespace cyclops::spec
