// "Did you mean" for names: the closest of the valid names to a misspelt one, by edit distance with
// adjacent transpositions counted as one edit ("DARM" → "DRAM", "raed" → "read"), ignoring case.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cyclops {

// The valid name nearest to `wrong` when it is close enough to be a slip (at most one edit for names
// of up to 5 characters, two for longer ones); nothing otherwise.
std::optional<std::string> ClosestName(const std::string& wrong, const std::vector<std::string>& valid);

}  // namespace cyclops
