#include "models/memory/tile_board.h"

namespace cyclops::models {

TileBoard::TileBoard(std::string name, int64_t consumers) : name_(std::move(name)), consumers_(consumers) {}

void TileBoard::Publish(int64_t version, Cycle at) {
  published_ = version;
  if (static_cast<int64_t>(published_at_.size()) <= version) published_at_.resize(version + 1, at);
  published_at_[static_cast<size_t>(version)] = at;
  published_event_.notify(sc_core::SC_ZERO_TIME);
}

void TileBoard::WaitPublished(int64_t version) {
  while (published_ < version) sc_core::wait(published_event_);
}

void TileBoard::Count(std::vector<int64_t>& counts, sc_core::sc_event& event, int64_t version,
                      int64_t count) {
  if (static_cast<int64_t>(counts.size()) <= version) counts.resize(version + 1, 0);
  counts[static_cast<size_t>(version)] += count;
  if (counts[static_cast<size_t>(version)] == consumers_) event.notify(sc_core::SC_ZERO_TIME);
}

bool TileBoard::Done(const std::vector<int64_t>& counts, int64_t version) const {
  return version < 0 || (version < static_cast<int64_t>(counts.size()) &&
                         counts[static_cast<size_t>(version)] >= consumers_);
}

void TileBoard::WaitAll(const std::vector<int64_t>& counts, sc_core::sc_event& event, int64_t version) {
  while (!Done(counts, version)) sc_core::wait(event);
}

}  // namespace cyclops::models
