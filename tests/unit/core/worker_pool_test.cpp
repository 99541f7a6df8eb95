// The worker pool moves lines between this process and its workers: each answer comes back with the task
// it belongs to, whichever worker ran it; a worker that ends without answering is an error naming the task.
// The workers here are /bin/sh one-liners, so the pool is tested without the simulator.
#include "sim/core/worker_pool.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <stdexcept>

#include "tests/support/paths.h"

namespace cyclops {
namespace {

// Answers each line with "done <line>", line after line, until its stdin closes.
const std::vector<std::string> kEcho = {"-c", "while read line; do echo \"done $line\"; done"};

TEST(WorkerPool, EachAnswerComesBackWithItsTask) {
  const std::string logs = test::TempDir("worker_pool_echo");
  std::filesystem::create_directories(logs);
  WorkerPool pool(2, "/bin/sh", kEcho, logs, "echo");
  EXPECT_EQ(pool.capacity(), 2);
  pool.Start("first", "a");
  pool.Start("second", "b");
  EXPECT_EQ(pool.running(), 2);
  EXPECT_THROW(pool.Start("third", "c"), std::logic_error);  // both are busy
  std::set<std::pair<std::string, std::string>> answers;
  answers.insert(pool.WaitOne());
  answers.insert(pool.WaitOne());
  EXPECT_EQ(answers, (std::set<std::pair<std::string, std::string>>{{"first", "done a"}, {"second", "done b"}}));
  EXPECT_EQ(pool.running(), 0);
  pool.Start("again", "c");  // a worker runs task after task
  EXPECT_EQ(pool.WaitOne(), (std::pair<std::string, std::string>{"again", "done c"}));
  EXPECT_THROW(pool.WaitOne(), std::logic_error);  // nothing is running
  EXPECT_TRUE(std::filesystem::exists(logs + "/worker_1.log"));
}

TEST(WorkerPool, AWorkerThatEndsWithoutAnsweringNamesItsTask) {
  const std::string logs = test::TempDir("worker_pool_quits");
  std::filesystem::create_directories(logs);
  WorkerPool pool(1, "/bin/sh", {"-c", "read line; exit 0"}, logs, "quitting");
  pool.Start("the layer in /somewhere", "go");
  try {
    pool.WaitOne();
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_STREQ(error.what(), "a quitting worker ended while running the layer in /somewhere");
  }
}

}  // namespace
}  // namespace cyclops
