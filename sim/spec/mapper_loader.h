// Timeloop's `mapper:` settings → MapperSpec. The settings `cyclops map` honours are read and checked
// (optimization_metric(s), search_size, timeout, victory_condition, num_threads, algorithm); Timeloop's
// logging and tuning knobs are accepted and named in one located note; any other key is an error.
#pragma once

#include <string>
#include <vector>

#include "sim/spec/specs.h"
#include "sim/spec/yaml_reader.h"

namespace cyclops::spec {

MapperSpec LoadMapperSpec(const YamlNode& node, std::vector<std::string>& notes);

}  // namespace cyclops::spec
