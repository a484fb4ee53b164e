#pragma once
#include <optional>
#include <vector>

#include "domain/idea.hpp"
#include "store/connection.hpp"

namespace cc::store {

std::optional<domain::Comment> find_comment(Connection& c, std::int64_t id);
// Oldest first, after `after_id`.
std::vector<domain::Comment> list_comments(Connection& c, std::int64_t idea_id, std::int64_t after_id, int limit);
std::int64_t insert_comment(Connection& c, std::int64_t idea_id, std::int64_t author_id,
                            std::optional<std::int64_t> parent_id, const std::string& body, const std::string& now);
void update_comment_body(Connection& c, std::int64_t id, const std::string& body, const std::string& now);
void set_comment_state(Connection& c, std::int64_t id, domain::CommentState state, const std::optional<std::string>& reason);
std::vector<std::int64_t> idea_commenters(Connection& c, std::int64_t idea_id);

}  // namespace cc::store
