#include "sim/top/version_board.h"

namespace cyclops::top {

VersionBoard::VersionBoard(std::string name, int64_t consumers)
    : name_(std::move(name)), consumers_(consumers) {}

void VersionBoard::Publish(int64_t version) {
  published_ = version;
  published_event_.notify(sc_core::SC_ZERO_TIME);
}

void VersionBoard::WaitPublished(int64_t version) {
  while (published_ < version) sc_core::wait(published_event_);
}

void VersionBoard::Count(std::vector<int64_t>& counts, sc_core::sc_event& event, int64_t version) {
  if (static_cast<int64_t>(counts.size()) <= version) counts.resize(version + 1, 0);
  if (++counts[version] == consumers_) event.notify(sc_core::SC_ZERO_TIME);
}

bool VersionBoard::Done(const std::vector<int64_t>& counts, int64_t version) const {
  return version < 0 || (version < static_cast<int64_t>(counts.size()) && counts[version] >= consumers_);
}

void VersionBoard::WaitAll(const std::vector<int64_t>& counts, sc_core::sc_event& event, int64_t version) {
  while (!Done(counts, version)) sc_core::wait(event);
}

}  // namespace cyclops::top
