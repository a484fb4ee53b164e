#pragma once
// Follows, notifications and flags: the rows that connect people to ideas.
#include <optional>
#include <string>
#include <vector>

#include "store/connection.hpp"

namespace cc::store {

// Follows. `auto_follow` adds a follow unless the user has explicitly unfollowed.
void auto_follow(Connection& c, std::int64_t user_id, const std::string& type, std::int64_t target_id);
void set_follow(Connection& c, std::int64_t user_id, const std::string& type, std::int64_t target_id, bool following);
bool is_following(Connection& c, std::int64_t user_id, const std::string& type, std::int64_t target_id);
std::vector<std::int64_t> followers(Connection& c, const std::string& type, std::int64_t target_id);

struct NotificationRow {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string type;
  std::string data;  // JSON
  std::string created_at;
  std::optional<std::string> read_at;
};
std::int64_t insert_notification(Connection& c, std::int64_t user_id, const std::string& type, const std::string& data,
                                 const std::string& now);
std::vector<NotificationRow> list_notifications(Connection& c, std::int64_t user_id, bool unread_only,
                                                std::int64_t before_id, int limit);
std::int64_t unread_count(Connection& c, std::int64_t user_id);
int mark_read(Connection& c, std::int64_t user_id, const std::vector<std::int64_t>& ids, const std::string& now);
int mark_all_read(Connection& c, std::int64_t user_id, const std::string& now);

struct FlagRow {
  std::int64_t id = 0;
  std::string target_type;
  std::int64_t target_id = 0;
  std::string reason;
  std::int64_t reporter_id = 0;
  std::string state;
  std::optional<std::string> action;
  std::optional<std::string> note;
  std::optional<std::int64_t> resolved_by;
  std::string created_at;
  std::optional<std::string> resolved_at;
  std::int64_t idea_id = 0;  // the idea, or the idea the flagged comment is on
};
std::int64_t insert_flag(Connection& c, const std::string& type, std::int64_t target_id, const std::string& reason,
                         std::int64_t reporter, const std::string& now);
std::optional<FlagRow> find_flag(Connection& c, std::int64_t id);
std::vector<FlagRow> list_flags(Connection& c, const std::optional<std::string>& state, std::int64_t after_id, int limit);
void resolve_flag(Connection& c, std::int64_t id, const std::string& action, const std::string& note,
                  std::int64_t by, const std::string& now);

}  // namespace cc::store
