// The output files of one command, written whole or not at all as a set. Every file goes to a
// temporary beside its target first; only when all of them are written are they renamed into place.
// A full disk or an unwritable folder therefore leaves none of the set (no temporaries, and no folder the
// set would have created), and is a SpecError at the folder's option ('--out', '--timeloop-out'; exit
// status 2) naming the file and the system's reason.
#pragma once

#include <string>
#include <vector>

namespace cyclops {

class OutputSet {
 public:
  // Checks that `dir` could be created (or, when it exists, that a file can be created in it), so that a
  // command with an unwritable --out fails before its work rather than after it. Creates nothing: the
  // folder appears when the set is committed.
  explicit OutputSet(std::string dir, std::string option = "--out");

  const std::string& dir() const { return dir_; }
  // Another folder the set writes into (e.g. --timeloop-out), checked like the first.
  void AddFolder(const std::string& dir, const std::string& option);
  // Queues DIR/name (DIR: the first folder, or one added); a path queued twice keeps the last contents.
  void Add(const std::string& name, std::string contents);
  void AddIn(const std::string& dir, const std::string& name, std::string contents);
  // Writes the queued files and clears the queue. Throws SpecError when any of them cannot be written.
  void Commit();
  // "stats.json, summary.json": the names in the first folder, in the order added.
  std::string Names() const;

 private:
  struct File {
    std::string dir, name, option, contents;
  };
  struct Folder {
    std::string dir, option;
  };
  const std::string& OptionOf(const std::string& dir) const;

  std::string dir_;
  std::vector<Folder> folders_;
  std::vector<File> files_;
};

}  // namespace cyclops
