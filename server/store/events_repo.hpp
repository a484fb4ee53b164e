#pragma once
// Reading the event log back: replays for GET /events and WebSocket `since`.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "store/connection.hpp"
#include "store/event_record.hpp"
#include "store/recent_row_topics.hpp"

namespace cc::store {

struct EventsAfter {
  std::vector<EventRecord> events;  // oldest first
  // 0, or the seq through which `events` is complete, when the search stopped short of
  // the end: a challenge's or an idea's topic is searched among a bounded number of the
  // log's events a call. A caller goes on from here (GET /events pages on) or gives up
  // (a replay tells the client it is too far behind).
  std::int64_t searched_through = 0;
};

// Events after `since` and at most `through` on any of `topics` (all topics when empty),
// at most `limit` of them. A server passes Store::events_durable_through(), and the live
// hub its `recent` events' row topics, so that the part of the log they cover is not read
// to find a challenge's or an idea's events.
EventsAfter events_since(Connection& c, std::int64_t since, const std::vector<std::string>& topics, int limit,
                         std::int64_t through = std::numeric_limits<std::int64_t>::max(),
                         const RecentRowTopics* recent = nullptr);
std::int64_t latest_seq(Connection& c);
// Deletes events older than `before` (RFC 3339), but never the newest, whose seq the
// next one follows; returns how many.
int prune_events(Connection& c, const std::string& before);

}  // namespace cc::store
