#include "domain/idea.hpp"

#include <algorithm>

#include "domain/error.hpp"
#include "domain/text.hpp"

namespace cc::domain {

std::string_view to_string(IdeaStatus s) {
  switch (s) {
    case IdeaStatus::new_: return "new";
    case IdeaStatus::under_review: return "under_review";
    case IdeaStatus::shortlisted: return "shortlisted";
    case IdeaStatus::forwarded: return "forwarded";
    case IdeaStatus::adopted: return "adopted";
    case IdeaStatus::not_progressed: return "not_progressed";
    case IdeaStatus::merged: return "merged";
  }
  return "new";
}

std::optional<IdeaStatus> parse_idea_status(std::string_view s) {
  for (auto st : {IdeaStatus::new_, IdeaStatus::under_review, IdeaStatus::shortlisted, IdeaStatus::forwarded,
                  IdeaStatus::adopted, IdeaStatus::not_progressed, IdeaStatus::merged})
    if (to_string(st) == s) return st;
  return std::nullopt;
}

bool author_may_edit(IdeaStatus s) {
  return s == IdeaStatus::new_ || s == IdeaStatus::under_review || s == IdeaStatus::shortlisted;
}

void validate_idea_text(std::optional<std::string>& title, std::optional<std::string>& body,
                        std::optional<std::vector<std::string>>& tags) {
  if (title) check_text("title", *title, 3, 140);
  if (body) check_text("body", *body, 1, 5000, true);
  if (tags) {
    if (tags->size() > 8) throw validation_error("tags", "at most 8 tags");
    std::vector<std::string> unique;
    for (const auto& t : *tags) {
      check_text("tags", t, 1, 30);
      auto lower = to_lower_ascii(t);
      bool seen = std::any_of(unique.begin(), unique.end(), [&](const std::string& u) { return to_lower_ascii(u) == lower; });
      if (!seen) unique.push_back(t);
    }
    *tags = std::move(unique);
  }
}

std::string_view to_string(CommentState s) {
  switch (s) {
    case CommentState::visible: return "visible";
    case CommentState::deleted: return "deleted";
    case CommentState::hidden: return "hidden";
  }
  return "visible";
}

void validate_comment_body(const std::string& body) { check_text("body", body, 1, 2000, true); }

void validate_vote_value(std::int64_t value, bool updown_allowed) {
  if (value != 1 && value != 0 && value != -1) throw validation_error("value", "value must be 1, -1 or 0");
  if (value == -1 && !updown_allowed)
    throw validation_error("value", "this challenge takes only up votes (1), or 0 to withdraw");
}

}  // namespace cc::domain
