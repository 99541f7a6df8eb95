#include "sim/cli/progress_line.h"

#include <cstdio>

namespace cyclops::cli {

void ProgressLine::Report(const std::function<void()>& update,
                          const std::function<std::string(double seconds)>& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  update();
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - shown_ < std::chrono::milliseconds(200)) return;  // a few times a second is enough
  shown_ = now;
  drawn_ = true;
  std::fprintf(stderr, "\r%s\033[K", text(std::chrono::duration<double>(now - start_).count()).c_str());
  std::fflush(stderr);
}

void ProgressLine::Finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  enabled_ = false;
  if (!drawn_) return;
  std::fprintf(stderr, "\r\033[K");  // what follows on standard output: leave no half line
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace cyclops::cli
