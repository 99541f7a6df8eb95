#include "sim/core/error.h"

namespace cyclops {

std::string SourceLocation::ToString() const {
  // Built with append() only: GCC 12 warns falsely (-Wrestrict) on operator+ chains here.
  std::string text;
  text.append(file.empty() ? "<input>" : file);
  if (line > 0) {
    text.append(":").append(std::to_string(line));
    if (column > 0) text.append(":").append(std::to_string(column));
  }
  return text;
}

namespace {
std::string Compose(const SourceLocation& where, const std::string& problem, const std::string& valid) {
  std::string text = where.ToString() + ": error";
  if (!where.key_path.empty()) text += ": at '" + where.key_path + "'";
  text += ": " + problem;
  if (!valid.empty()) text += " (valid: " + valid + ")";
  return text;
}
}  // namespace

SpecError::SpecError(SourceLocation where, std::string what_is_wrong, std::string what_is_valid)
    : std::runtime_error(Compose(where, what_is_wrong, what_is_valid)),
      where_(std::move(where)),
      problem_(std::move(what_is_wrong)),
      valid_(std::move(what_is_valid)) {}

}  // namespace cyclops
