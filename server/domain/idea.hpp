#pragma once
// Ideas, their status pipeline, comments and votes (SPEC §3).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cc::domain {

enum class IdeaStatus { new_, under_review, shortlisted, forwarded, adopted, not_progressed, merged };
std::string_view to_string(IdeaStatus s);
std::optional<IdeaStatus> parse_idea_status(std::string_view s);
// Authors may edit until their idea is forwarded (or beyond it in the pipeline).
bool author_may_edit(IdeaStatus s);

struct Author {
  std::int64_t id = 0;
  std::string display_name;
  std::string profession;
};

struct Idea {
  std::int64_t id = 0;
  std::int64_t challenge_id = 0;
  Author author;
  std::string title;
  std::string body;
  std::vector<std::string> tags;
  bool anonymous = false;
  IdeaStatus status = IdeaStatus::new_;
  std::optional<std::string> status_note;
  std::optional<std::int64_t> merged_into_id;
  bool hidden = false;
  std::int64_t up = 0;
  std::int64_t down = 0;
  std::int64_t score = 0;
  std::int64_t comment_count = 0;
  std::int64_t created_ts = 0;
  std::string created_at;
  std::string updated_at;
  int my_vote = 0;  // the viewer's vote, when read for a viewer
};

// What a vote needs of an idea and what its answer shows: the counts, the viewer's vote,
// and what decides whether the viewer may see it. Votes are the busiest write, and this
// is read on the writer's thread without the idea's text, tags or author's name.
struct IdeaTally {
  std::int64_t id = 0;
  std::int64_t challenge_id = 0;
  std::int64_t author_id = 0;
  IdeaStatus status = IdeaStatus::new_;
  bool hidden = false;
  std::int64_t up = 0;
  std::int64_t down = 0;
  std::int64_t score = 0;
  int my_vote = 0;  // the viewer's vote
};

struct HistoryEntry {
  std::string status;
  std::string note;
  std::optional<Author> by;
  std::string at;
};

struct IdeaWorkshop {
  std::int64_t id = 0;
  std::string title;
  std::string item_state;
};

struct NewIdea {
  std::string title;
  std::string body;
  std::vector<std::string> tags;
  bool anonymous = false;
};

// Checks title 3–140, body 1–5000, at most 8 tags of 1–30 characters; tags are
// de-duplicated keeping their first spelling.
void validate_idea_text(std::optional<std::string>& title, std::optional<std::string>& body,
                        std::optional<std::vector<std::string>>& tags);

enum class CommentState { visible, deleted, hidden };
std::string_view to_string(CommentState s);

struct Comment {
  std::int64_t id = 0;
  std::int64_t idea_id = 0;
  std::optional<std::int64_t> parent_id;
  Author author;
  std::string body;
  CommentState state = CommentState::visible;
  std::optional<std::string> hidden_reason;
  std::string created_at;
  std::optional<std::string> edited_at;
};

void validate_comment_body(const std::string& body);

// The vote value rules: 1, -1 (only under updown) or 0 (withdraw).
void validate_vote_value(std::int64_t value, bool updown_allowed);

}  // namespace cc::domain
