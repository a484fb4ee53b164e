#pragma once
// The challenge and the idea that the latest events name in their own rows
// (sql/0006_event_idea_column.sql, sql/0008_event_challenge_column.sql), kept in memory by
// whoever sees every event in seq order: the live hub, which publishes them all.
//
// Without it, a replay finds those topics' events by reading the log forward, at most
// kRowTopicScan events a call (events_repo.cpp): a WebSocket client of a quiet challenge
// that missed 20,000 events of other challenges (a second or two of a launch-day surge)
// would be told it is too far behind. With it, a replay whose start is among the latest
// events reads none of the log to find them: it reads only the events it sends.
#include <cstdint>
#include <mutex>
#include <set>
#include <vector>

#include "store/event_record.hpp"

namespace cc::store {

class RecentRowTopics {
public:
  // 2^18 events, 4 MiB once full; it fills as events are published.
  static constexpr std::size_t kDefaultCapacity = std::size_t{1} << 18;
  explicit RecentRowTopics(std::size_t capacity = kDefaultCapacity);

  // The next event in seq order, with the challenge and idea of its row (0: none). One
  // after a gap starts the window again from it; one at or before the newest is ignored.
  void add(std::int64_t seq, std::int64_t challenge_id, std::int64_t idea_id);
  void add(const EventBatch& events);

  // The part of a search that the window answered: every event in (after, through]
  // naming the challenges or ideas looked for was found. Empty (after == through) when
  // the window holds none of the range.
  struct Answered {
    std::int64_t after = 0;
    std::int64_t through = 0;
    int found = 0;
  };
  // Adds to `seqs` the seqs in (since, through] of the window's events that name one of
  // `challenges` or `ideas`, oldest first, stopping once `limit` are found (then the
  // answer ends at the last one found).
  Answered find(const std::vector<std::int64_t>& challenges, const std::vector<std::int64_t>& ideas,
                std::int64_t since, std::int64_t through, int limit, std::set<std::int64_t>& seqs) const;

  // The window: the events in (after, through] are all held.
  Answered window() const;

private:
  void add_locked(std::int64_t seq, std::int64_t challenge_id, std::int64_t idea_id);

  struct Row {
    std::int64_t challenge_id;
    std::int64_t idea_id;
  };
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::vector<Row> rows_;      // a ring once it reaches capacity_
  std::size_t oldest_ = 0;     // index of the oldest row
  std::int64_t first_seq_ = 0; // seq of the oldest row
};

}  // namespace cc::store
