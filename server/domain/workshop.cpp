#include "domain/workshop.hpp"

#include <algorithm>

#include "common/clock.hpp"
#include "domain/error.hpp"
#include "domain/text.hpp"

namespace cc::domain {

std::string_view to_string(WorkshopStatus s) {
  switch (s) {
    case WorkshopStatus::planned: return "planned";
    case WorkshopStatus::running: return "running";
    case WorkshopStatus::done: return "done";
  }
  return "planned";
}

std::optional<WorkshopStatus> parse_workshop_status(std::string_view s) {
  if (s == "planned") return WorkshopStatus::planned;
  if (s == "running") return WorkshopStatus::running;
  if (s == "done") return WorkshopStatus::done;
  return std::nullopt;
}

std::string_view to_string(ItemState s) {
  switch (s) {
    case ItemState::queued: return "queued";
    case ItemState::discussed: return "discussed";
    case ItemState::actioned: return "actioned";
    case ItemState::parked: return "parked";
  }
  return "queued";
}

std::optional<ItemState> parse_item_state(std::string_view s) {
  if (s == "queued") return ItemState::queued;
  if (s == "discussed") return ItemState::discussed;
  if (s == "actioned") return ItemState::actioned;
  if (s == "parked") return ItemState::parked;
  return std::nullopt;
}

void validate_workshop(Workshop& w) {
  check_text("title", w.title, 3, 140);
  check_text("description", w.description, 0, 5000, true);
  if (w.scheduled_at) {
    auto t = parse_rfc3339(*w.scheduled_at);
    if (!t) throw validation_error("scheduled_at", "scheduled_at must be an RFC 3339 time, e.g. 2026-12-01T09:00:00Z");
    w.scheduled_at = to_rfc3339(*t);
  }
}

std::vector<std::int64_t> pick_for_forwarding(std::vector<RankedIdea> ideas, int top_n, int min_votes) {
  std::erase_if(ideas, [min_votes](const RankedIdea& i) { return i.score < min_votes; });
  std::sort(ideas.begin(), ideas.end(), [](const RankedIdea& a, const RankedIdea& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.created_ts != b.created_ts) return a.created_ts < b.created_ts;  // ties go to the older idea
    return a.id < b.id;
  });
  std::vector<std::int64_t> out;
  for (std::size_t i = 0; i < ideas.size() && static_cast<int>(i) < top_n; ++i) out.push_back(ideas[i].id);
  return out;
}

}  // namespace cc::domain
