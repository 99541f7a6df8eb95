// Setting values at sweep key paths in spec documents: the edit behind every point of `cyclops sweep`.
// The documents are YAML text (the base files, plus file-slot values); each assignment finds the one
// document that holds its top-level key and sets the value there, and the changed documents are written
// back as YAML with their tags (!Container, ...), flow style and quoted scalars kept. Only values that
// exist are replaced (a component's attribute, a problem key), except NoC parameters and cyclops settings,
// which have defaults and may be added; anything else is a SpecError at the sweep parameter's location
// naming what does exist.
#pragma once

#include <string>
#include <vector>

#include "sim/spec/loader.h"
#include "sim/spec/sweep_spec.h"

namespace cyclops::spec {

struct SpecAssignment {
  const SweepParameter* parameter = nullptr;  // key path, kind, location; must outlive the call
  std::string value;
};

struct PatchedDocument {
  SpecDocument document;  // name as given (or a new name for a document created here), text
  bool changed = false;   // false: the text is the input's, byte for byte
};

// The documents with the spec-path assignments applied (kArchitectureAttribute, kNocParam, kSpecPath;
// other kinds are ignored here). A `cyclops.<setting>` with no `cyclops` key in any document adds a
// document named "sweep_cyclops.yaml".
std::vector<PatchedDocument> PatchSpecDocuments(const std::vector<SpecDocument>& documents,
                                                const std::vector<SpecAssignment>& assignments);

}  // namespace cyclops::spec
