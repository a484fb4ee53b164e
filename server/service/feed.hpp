#pragma once
// What reaches a person: search results, their notifications, and replays of the event
// log filtered to what they may see (SPEC §4 /search, /notifications, /events).
#include <nlohmann/json.hpp>

#include "domain/idea.hpp"
#include "domain/viewer.hpp"
#include "service/outcome.hpp"
#include "service/page.hpp"
#include "store/event_record.hpp"
#include "store/search_repo.hpp"
#include "store/social_repo.hpp"

namespace cc::service {

struct SearchResult {
  domain::Idea idea;
  store::SearchHit hit;
};

class Feed {
public:
  explicit Feed(store::Store& store) : store_(store) {}

  Page<SearchResult> search(const domain::Viewer& v, const std::string& q, std::optional<std::int64_t> challenge,
                            std::optional<std::int64_t> principle, const std::optional<std::string>& cursor, int limit);

  Page<store::NotificationRow> notifications(std::int64_t user_id, bool unread_only,
                                             const std::optional<std::string>& cursor, int limit);
  std::int64_t unread(std::int64_t user_id);
  void mark_read(std::int64_t user_id, std::vector<std::int64_t> ids, bool all, Then<int> then);

  struct Replay {
    std::vector<std::pair<store::EventRecord, std::string>> items;  // event and the JSON the viewer may see
    std::int64_t next_since = 0;
  };
  // Events after `since`, on `topic` or on every topic the viewer may see, bounded.
  Replay events(const domain::Viewer& v, std::int64_t since, const std::optional<std::string>& topic, int limit);

  // The payload of `e` that `v` may see, or nullopt when they may not see it at all.
  static std::optional<std::string> visible_data(const store::EventRecord& e, const domain::Viewer& v);
  // Whether `v` may subscribe to `topic` ("challenge:3", "user:7", ...). Throws 422/403/404.
  static void check_topic(store::Connection& c, const domain::Viewer& v, const std::string& topic);

private:
  store::Store& store_;
};

nlohmann::json notification_json(const store::NotificationRow& n);

}  // namespace cc::service
