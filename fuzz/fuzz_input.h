// What the harnesses share: turning fuzz bytes into spec documents, and the one rule every harness
// enforces — bad input may only end in a SpecError (a located message, exit status 2). Any other
// exception, a signal or a sanitizer report is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "sim/core/error.h"
#include "sim/spec/loader.h"

namespace cyclops::fuzz {

// A line holding only this YAML comment starts a new document, so one input can be several spec files
// (their top-level keys merge) and still be a single valid YAML file for the fuzzer's mutations.
inline constexpr const char* kFileSeparator = "#@file";

// The input split at separator lines into documents named fuzz0.yaml, fuzz1.yaml, ...
std::vector<spec::SpecDocument> SplitDocuments(const uint8_t* data, size_t size);

// The text of a file in the source tree (CYCLOPS_SOURCE_DIR/relative); aborts when it cannot be read.
std::string SourceFile(const std::string& relative);

// Runs `body`; a SpecError is the expected way for bad input to end, anything else aborts with its
// message so libFuzzer keeps the input as a crash.
template <typename Body>
void ExpectOnlySpecErrors(Body body) {
  try {
    body();
  } catch (const SpecError&) {
    // Bad input, reported the documented way.
  } catch (const std::exception& error) {
    std::fprintf(stderr, "finding: an exception other than SpecError escaped: %s\n", error.what());
    std::abort();
  }
}

}  // namespace cyclops::fuzz
