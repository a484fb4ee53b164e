#include "service/feed.hpp"

#include <charconv>

#include "common/clock.hpp"
#include "domain/error.hpp"
#include "domain/text.hpp"
#include "service/challenges.hpp"
#include "service/ideas.hpp"
#include "store/events_repo.hpp"
#include "store/ideas_repo.hpp"
#include "store/search_repo.hpp"

namespace cc::service {

using Json = nlohmann::json;

Json notification_json(const store::NotificationRow& n) {
  auto data = Json::parse(n.data, nullptr, false);
  return {{"id", n.id},
          {"type", n.type},
          {"data", data.is_discarded() ? Json::object() : data},
          {"created_at", n.created_at},
          {"read_at", n.read_at ? Json(*n.read_at) : Json()},
          {"read", n.read_at.has_value()}};
}

Page<SearchResult> Feed::search(const domain::Viewer& v, const std::string& q, std::optional<std::int64_t> challenge,
                                std::optional<std::int64_t> principle, const std::optional<std::string>& cursor,
                                int limit) {
  domain::check_text("q", q, 0, 200);
  auto& c = store_.reader();
  store::ReadTx read(c);
  if (challenge) Challenges::require_visible(c, v, *challenge);
  int offset = 0;
  if (cursor) {
    auto j = Json::parse(decode_cursor(*cursor), nullptr, false);
    // Compared as read, before narrowing: 2^32 + 5 must not pass as 5.
    const std::uint64_t o = j.is_object() && j.contains("o") && j["o"].is_number_unsigned() ? j["o"].get<std::uint64_t>() : 10001;
    if (o > 10000) throw domain::validation_error("cursor", "the cursor is not valid; start again from the first page");
    offset = static_cast<int>(o);
  }
  store::SearchQuery sq{q, challenge, principle, v.privileged(), offset, limit + 1};
  auto hits = store::search_ideas(c, sq);
  Page<SearchResult> page;
  bool more = static_cast<int>(hits.size()) > limit;
  if (more) hits.resize(static_cast<std::size_t>(limit));
  for (auto& h : hits)
    if (auto idea = store::find_idea(c, h.idea_id, v.user_id)) page.items.push_back({std::move(*idea), std::move(h)});
  if (more) page.next_cursor = int_cursor("o", offset + limit);
  return page;
}

Page<store::NotificationRow> Feed::notifications(std::int64_t user_id, bool unread_only,
                                                 const std::optional<std::string>& cursor, int limit) {
  auto rows = store::list_notifications(store_.reader(), user_id, unread_only, cursor_value(cursor, "b"), limit + 1);
  return page_of(std::move(rows), limit, "b", [](const store::NotificationRow& n) { return n.id; });
}

std::int64_t Feed::unread(std::int64_t user_id) { return store::unread_count(store_.reader(), user_id); }

void Feed::mark_read(std::int64_t user_id, std::vector<std::int64_t> ids, bool all, Then<int> then) {
  if (!all && ids.empty()) {
    return then(Outcome<int>{std::make_exception_ptr(domain::validation_error("ids", "send ids, or all: true")), std::nullopt});
  }
  if (ids.size() > 1000) {
    return then(Outcome<int>{std::make_exception_ptr(domain::validation_error("ids", "at most 1000 ids at a time")), std::nullopt});
  }
  write<int>(
      store_,
      [user_id, ids, all](store::WriteTx& tx) {
        auto now = now_rfc3339();
        return all ? store::mark_all_read(tx.conn, user_id, now) : store::mark_read(tx.conn, user_id, ids, now);
      },
      std::move(then));
}

std::optional<std::string> Feed::visible_data(const store::EventRecord& e, const domain::Viewer& v) {
  switch (e.audience) {
    case store::Audience::owner:
      if (e.owner_id != v.user_id) return std::nullopt;
      break;
    case store::Audience::privileged:
      if (!v.privileged()) return std::nullopt;
      break;
    case store::Audience::everyone:
      break;
  }
  if (v.privileged() && !e.data_privileged.empty()) return e.data_privileged;
  return e.data;
}

namespace {
bool parse_id(std::string_view s, std::int64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && out > 0;
}
}  // namespace

void Feed::check_topic(store::Connection& c, const domain::Viewer& v, const std::string& topic) {
  if (topic == "challenges") return;
  auto colon = topic.find(':');
  std::int64_t id = 0;
  if (colon == std::string::npos || !parse_id(std::string_view(topic).substr(colon + 1), id))
    throw domain::validation_error("topic", "unknown topic: " + topic);
  auto kind = topic.substr(0, colon);
  if (kind == "challenge") {
    Challenges::require_visible(c, v, id);
  } else if (kind == "idea") {
    Ideas::visible(c, v, id);
  } else if (kind == "workshop") {
    auto st = c.prepare("SELECT 1 FROM workshops WHERE id = ?");
    st->bind(1, id);
    if (!st->executeStep()) throw domain::not_found("workshop");
  } else if (kind == "user") {
    if (id != v.user_id) throw domain::forbidden("you may only follow your own notifications");
  } else {
    throw domain::validation_error("topic", "unknown topic: " + topic);
  }
}

Feed::Replay Feed::events(const domain::Viewer& v, std::int64_t since, const std::optional<std::string>& topic, int limit) {
  auto& c = store_.reader();
  store::ReadTx read(c);
  std::vector<std::string> topics;
  if (topic) {
    check_topic(c, v, *topic);
    topics.push_back(*topic);
  }
  // Events waiting for the disk are left for the next read (the snapshot has begun).
  const auto through = store_.events_durable_through();
  Replay r;
  r.next_since = since;
  // Read in bounded chunks, skipping what the viewer may not see, until the page is full.
  for (int rounds = 0; rounds < 10 && static_cast<int>(r.items.size()) < limit; ++rounds) {
    auto page = store::events_since(c, r.next_since, topics, limit, through);
    for (auto& e : page.events) {
      r.next_since = e.seq;
      // Without a topic filter, only events on topics the viewer could subscribe to.
      if (!topic) {
        bool allowed = false;
        for (const auto& t : e.topics) {
          if (t.rfind("user:", 0) == 0 && t != "user:" + std::to_string(v.user_id)) continue;
          allowed = true;
        }
        if (!allowed) continue;
      }
      if (auto data = visible_data(e, v)) {
        r.items.emplace_back(e, *data);
        if (static_cast<int>(r.items.size()) >= limit) break;
      }
    }
    if (static_cast<int>(r.items.size()) >= limit) break;
    // A search that stopped short of the end: the next chunk, or the client's next
    // page, starts where it stopped.
    if (page.searched_through) r.next_since = std::max(r.next_since, page.searched_through);
    else if (static_cast<int>(page.events.size()) < limit) break;
  }
  return r;
}

}  // namespace cc::service
