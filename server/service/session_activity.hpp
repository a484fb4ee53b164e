#pragma once
// When each session was last active, kept in memory and written to the store in one
// batch at most every `write_every` seconds. Every request notes activity; writing it
// per session (as before) made a steady trickle of commits from reads alone, and each
// commit starts a new snapshot, emptying the readers' caches (store/snapshot_cache.hpp).
// Idle expiry reads the later of the stored time and the time noted here. What a crash
// can lose is the last batch: a session then looks idle up to `write_every` seconds
// early after the restart, never late.
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "store/store.hpp"

namespace cc::service {

class SessionActivity {
public:
  SessionActivity(store::Store& store, int write_every_seconds, int forget_after_seconds)
      : store_(store), write_every_(write_every_seconds), forget_after_(forget_after_seconds) {}

  // The session's last activity: `stored` (from its row) or a later one noted here.
  std::int64_t last_seen(std::int64_t session_id, std::int64_t stored) const;
  // Notes activity at `now`; writes what is waiting if the last write is old enough.
  void note(std::int64_t session_id, std::int64_t now);
  // last_seen and note under one lock, for every signed-in request: notes activity at
  // `now` and returns true if the session was active within `idle_seconds`; else false,
  // noting nothing.
  bool note_if_active(std::int64_t session_id, std::int64_t stored, std::int64_t now, int idle_seconds);
  // Writes what is waiting now (at shutdown).
  void flush(std::int64_t now);

private:
  void note_locked(std::int64_t& seen, std::int64_t session_id, std::int64_t now);
  void write_locked(std::int64_t now);

  store::Store& store_;
  const int write_every_;
  const int forget_after_;  // past the idle timeout, a time noted here no longer matters
  mutable std::mutex mutex_;
  std::unordered_map<std::int64_t, std::int64_t> seen_;     // session -> last activity
  std::unordered_map<std::int64_t, std::int64_t> waiting_;  // not yet written
  std::int64_t last_write_ = 0;
};

}  // namespace cc::service
