// The output files of one command, written whole or not at all as a set. Every file goes to a
// temporary beside its target first; only when all of them are written are they renamed into place.
// A full disk or an unwritable --out therefore leaves none of the set (and no temporaries), and is a
// SpecError at '--out' (exit status 2) naming the file and the system's reason.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cyclops {

class OutputSet {
 public:
  // Creates `dir` and its parents and checks that a file can be created there, so that a command with
  // an unwritable --out fails before its work rather than after it.
  explicit OutputSet(std::string dir);

  const std::string& dir() const { return dir_; }
  // Queues DIR/name; a name added twice keeps the last contents.
  void Add(const std::string& name, std::string contents);
  // Writes the queued files and clears the queue. Throws SpecError when any of them cannot be written.
  void Commit();
  // "stats.json, summary.json" in the order added.
  std::string Names() const;

 private:
  std::string dir_;
  std::vector<std::pair<std::string, std::string>> files_;
};

}  // namespace cyclops
