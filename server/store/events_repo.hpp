#pragma once
// Reading the event log back: replays for GET /events and WebSocket `since`.
#include <string>
#include <vector>

#include "store/connection.hpp"
#include "store/event_record.hpp"

namespace cc::store {

// Events after `since` on any of `topics` (all topics when empty), oldest first.
std::vector<EventRecord> events_since(Connection& c, std::int64_t since, const std::vector<std::string>& topics, int limit);
std::int64_t latest_seq(Connection& c);
// Deletes events older than `before` (RFC 3339); returns how many.
int prune_events(Connection& c, const std::string& before);

}  // namespace cc::store
