#pragma once
// Values read at one snapshot of the database (Connection::snapshot()), kept for later
// reads at the same snapshot and dropped all at once when it changes. One per thread
// (thread_local in a repository), as each thread reads through its own connection; the
// snapshot numbers are unique across connections, so a value is never served for a
// state of the database it was not read from. Bounded: past `max` entries it starts
// over. The point: while nothing is written, a page of ideas or a session costs map
// lookups instead of SQL; after any commit everything is read afresh.
#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace cc::store {

template <class Key, class Value, std::size_t max>
class SnapshotCache {
public:
  // The value kept for `key` at `snapshot`, or null (also whenever snapshot is 0).
  const Value* find(std::uint64_t snapshot, const Key& key) {
    if (snapshot == 0) return nullptr;
    if (snapshot != snapshot_) {
      map_.clear();
      snapshot_ = snapshot;
      return nullptr;
    }
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : &it->second;
  }

  // Keeps `value`, read at `snapshot`, for `key` and returns the kept copy (ignored, and
  // null, when snapshot is 0).
  const Value* put(std::uint64_t snapshot, const Key& key, Value value) {
    if (snapshot == 0) return nullptr;
    if (snapshot != snapshot_) {
      map_.clear();
      snapshot_ = snapshot;
    }
    if (map_.size() >= max) map_.clear();
    return &map_.insert_or_assign(key, std::move(value)).first->second;
  }

  std::size_t size() const { return map_.size(); }

private:
  std::uint64_t snapshot_ = 0;
  std::unordered_map<Key, Value> map_;
};

}  // namespace cc::store
