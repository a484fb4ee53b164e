#include "store/comments_repo.hpp"

namespace cc::store {
namespace {
const char* kCommentColumns =
    "c.id, c.idea_id, c.parent_id, c.author_id, u.display_name, u.profession, c.body, c.state, c.hidden_reason, "
    "c.created_at, c.edited_at";

domain::Comment read_comment(SQLite::Statement& st) {
  domain::Comment c;
  c.id = st.getColumn(0).getInt64();
  c.idea_id = st.getColumn(1).getInt64();
  if (!st.getColumn(2).isNull()) c.parent_id = st.getColumn(2).getInt64();
  c.author = {st.getColumn(3).getInt64(), st.getColumn(4).getString(), st.getColumn(5).getString()};
  c.body = st.getColumn(6).getString();
  auto state = st.getColumn(7).getString();
  c.state = state == "deleted" ? domain::CommentState::deleted
            : state == "hidden" ? domain::CommentState::hidden
                                : domain::CommentState::visible;
  if (!st.getColumn(8).isNull()) c.hidden_reason = st.getColumn(8).getString();
  c.created_at = st.getColumn(9).getString();
  if (!st.getColumn(10).isNull()) c.edited_at = st.getColumn(10).getString();
  return c;
}
}  // namespace

std::optional<domain::Comment> find_comment(Connection& c, std::int64_t id) {
  auto st = c.prepare(std::string("SELECT ") + kCommentColumns + " FROM comments c JOIN users u ON u.id = c.author_id WHERE c.id = ?");
  st->bind(1, id);
  if (!st->executeStep()) return std::nullopt;
  return read_comment(*st);
}

std::vector<domain::Comment> list_comments(Connection& c, std::int64_t idea_id, std::int64_t after_id, int limit) {
  auto st = c.prepare(std::string("SELECT ") + kCommentColumns +
                      " FROM comments c JOIN users u ON u.id = c.author_id WHERE c.idea_id = ? AND c.id > ? "
                      "ORDER BY c.id LIMIT ?");
  st->bind(1, idea_id);
  st->bind(2, after_id);
  st->bind(3, limit);
  std::vector<domain::Comment> out;
  while (st->executeStep()) out.push_back(read_comment(*st));
  return out;
}

std::int64_t insert_comment(Connection& c, std::int64_t idea_id, std::int64_t author_id,
                            std::optional<std::int64_t> parent_id, const std::string& body, const std::string& now) {
  auto st = c.prepare("INSERT INTO comments(idea_id, author_id, parent_id, body, created_at) VALUES (?,?,?,?,?)");
  st->bind(1, idea_id);
  st->bind(2, author_id);
  if (parent_id) st->bind(3, *parent_id); else st->bind(3);
  st->bind(4, body);
  st->bind(5, now);
  st->exec();
  return c.last_insert_id();
}

void update_comment_body(Connection& c, std::int64_t id, const std::string& body, const std::string& now) {
  auto st = c.prepare("UPDATE comments SET body = ?, edited_at = ? WHERE id = ?");
  st->bind(1, body);
  st->bind(2, now);
  st->bind(3, id);
  st->exec();
}

void set_comment_state(Connection& c, std::int64_t id, domain::CommentState state, const std::optional<std::string>& reason) {
  auto st = c.prepare("UPDATE comments SET state = ?, hidden_reason = ? WHERE id = ?");
  st->bind(1, std::string(domain::to_string(state)));
  if (reason) st->bind(2, *reason); else st->bind(2);
  st->bind(3, id);
  st->exec();
}

std::vector<std::int64_t> idea_commenters(Connection& c, std::int64_t idea_id) {
  auto st = c.prepare("SELECT DISTINCT author_id FROM comments WHERE idea_id = ?");
  st->bind(1, idea_id);
  std::vector<std::int64_t> out;
  while (st->executeStep()) out.push_back(st->getColumn(0).getInt64());
  return out;
}

}  // namespace cc::store
