#pragma once
#include <optional>
#include <vector>

#include "domain/workshop.hpp"
#include "store/connection.hpp"

namespace cc::store {

std::optional<domain::Workshop> find_workshop(Connection& c, std::int64_t id);
std::vector<domain::Workshop> list_workshops(Connection& c, std::int64_t before_id, int limit);
std::int64_t insert_workshop(Connection& c, const domain::Workshop& w);
void update_workshop(Connection& c, const domain::Workshop& w);

std::optional<domain::WorkshopItem> find_item(Connection& c, std::int64_t item_id);
std::optional<domain::WorkshopItem> find_item_for_idea(Connection& c, std::int64_t workshop_id, std::int64_t idea_id);
std::vector<domain::WorkshopItem> queue(Connection& c, std::int64_t workshop_id);
std::int64_t insert_item(Connection& c, std::int64_t workshop_id, std::int64_t idea_id, const std::string& reason,
                         const std::optional<std::string>& note, std::optional<std::int64_t> by, const std::string& now);
void update_item(Connection& c, const domain::WorkshopItem& item);
// Moves an item to `position` (1-based, clamped) and renumbers the queue 1..n.
void move_item(Connection& c, std::int64_t workshop_id, std::int64_t item_id, int position);

// The candidates for the forwarding rule in a challenge: not merged, not hidden.
std::vector<domain::RankedIdea> forwarding_candidates(Connection& c, std::int64_t challenge_id);

}  // namespace cc::store
