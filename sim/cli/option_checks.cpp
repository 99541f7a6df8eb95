#include "sim/cli/option_checks.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace cyclops::cli {

CLI::Validator FiniteAtLeast(double minimum) {
  char bound[32];
  std::snprintf(bound, sizeof bound, "%g", minimum);
  const std::string valid = std::string("a finite number >= ") + bound;
  return CLI::Validator(
      [minimum, valid](std::string& text) -> std::string {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (end == text.c_str() || *end != '\0' || !std::isfinite(value) || value < minimum)
          return "'" + text + "' is not " + valid;
        return {};
      },
      "NUMBER >= " + std::string(bound));
}

}  // namespace cyclops::cli
