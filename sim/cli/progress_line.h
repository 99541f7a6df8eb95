// One progress line on standard error, rewritten in place a few times a second and cleared when the work
// ends; only on a terminal (logs and pipes get nothing). `cyclops run`'s (RunProgress) and `cyclops map`'s
// (MapProgress) say what they count; this draws it. Reports may come from several threads.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

namespace cyclops::cli {

class ProgressLine {
 public:
  explicit ProgressLine(bool enabled) : enabled_(enabled) {}
  ~ProgressLine() { Finish(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  bool enabled() const { return enabled_; }
  // Under one lock: `update` (what the caller counts), then, unless the line was drawn less than 200 ms
  // ago, the line `text` makes from the seconds since the start.
  void Report(const std::function<void()>& update, const std::function<std::string(double seconds)>& text);
  void Finish();  // clears the line (once); later reports draw nothing

 private:
  bool enabled_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), shown_{};
  bool drawn_ = false;
};

}  // namespace cyclops::cli
