// Running this binary (or another program) as a child process: with its stdout and stderr in a log file
// (`cyclops run --sweep`, one process per hardware variant), or as a worker that talks over pipes
// (`cyclops network --jobs N`: each worker elaborates the accelerator once and runs many layers).
// posix_spawn, no shell: arguments need no quoting.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace cyclops {

// The path of the running executable.
std::string SelfExecutable();

// Starts `program` with `arguments` (argv[1..]), stdout and stderr to `log` (created or truncated).
// std::runtime_error naming the program when it cannot be started.
pid_t StartProcess(const std::string& program, const std::vector<std::string>& arguments,
                   const std::string& log);

// A child whose stdin and stdout are pipes to this process (stderr to `log`).
struct PipedProcess {
  pid_t pid = -1;
  int to_child = -1;    // write end of its stdin
  int from_child = -1;  // read end of its stdout
};
PipedProcess StartPipedProcess(const std::string& program, const std::vector<std::string>& arguments,
                               const std::string& log);

// Waits for `pid`; its exit status, or 128 + the signal that ended it.
int WaitForExit(pid_t pid);

// The last `lines` non-empty lines of a log, joined with " | " (for one-line error messages).
std::string LastLines(const std::string& path, int lines);

// One line (newline added) to a worker's pipe, whole; std::runtime_error when the pipe closed.
void WriteLine(int fd, const std::string& line);
// Reads one line from `fd` into `line` (what came after it stays in `pending`); false at end of file.
bool ReadLine(int fd, std::string& pending, std::string& line);

}  // namespace cyclops
