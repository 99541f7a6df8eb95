// An energy table's names checked against the architecture it prices. An ERT entry whose component or
// action matches nothing would otherwise be ignored and its energy silently dropped (a misspelt `DARM`
// took the example from 2.748 to 1.789 uJ). A name that matches nothing is a located error, with "did
// you mean" when it is a near miss; Accelergy actions Cyclops does not model (idle, gated_read, ...)
// and architecture levels without any entry are noted.
#pragma once

#include <string>
#include <vector>

#include "sim/spec/specs.h"

namespace cyclops::spec {

void CheckEnergyNames(const EnergyTable& table, const Architecture& architecture,
                      std::vector<std::string>& notes);

}  // namespace cyclops::spec
