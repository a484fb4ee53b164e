#pragma once
// Workshops of the design group and their queues of forwarded ideas (SPEC §3).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/idea.hpp"

namespace cc::domain {

enum class WorkshopStatus { planned, running, done };
std::string_view to_string(WorkshopStatus s);
std::optional<WorkshopStatus> parse_workshop_status(std::string_view s);

enum class ItemState { queued, discussed, actioned, parked };
std::string_view to_string(ItemState s);
std::optional<ItemState> parse_item_state(std::string_view s);

struct Workshop {
  std::int64_t id = 0;
  std::string title;
  std::string description;
  std::optional<std::string> scheduled_at;
  WorkshopStatus status = WorkshopStatus::planned;
  std::int64_t created_by = 0;
  std::string created_at;
  std::string updated_at;
  std::int64_t queue_length = 0;
};

struct WorkshopItem {
  std::int64_t id = 0;
  std::int64_t workshop_id = 0;
  std::int64_t idea_id = 0;
  int position = 0;
  ItemState state = ItemState::queued;
  std::string reason;  // top_n | manual
  std::optional<std::string> note;
  std::optional<Author> forwarded_by;
  std::string forwarded_at;
  std::optional<std::string> outcome_note;
  std::string updated_at;
  std::optional<Idea> idea;  // filled when listing a queue
};

// Title 3–140, description ≤ 5000, scheduled_at RFC 3339 (normalised) when present.
void validate_workshop(Workshop& w);

// The forwarding rule: the top `top_n` ideas by score with at least `min_votes`, ties to
// the older idea. Ideas merged into others or hidden are never picked.
struct RankedIdea {
  std::int64_t id;
  std::int64_t score;
  std::int64_t created_ts;
};
std::vector<std::int64_t> pick_for_forwarding(std::vector<RankedIdea> ideas, int top_n, int min_votes);

}  // namespace cc::domain
