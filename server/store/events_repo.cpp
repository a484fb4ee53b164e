#include "store/events_repo.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <string_view>

namespace cc::store {

namespace {
constexpr std::string_view kChallengeTopic = "challenge:";
constexpr std::string_view kIdeaTopic = "idea:";

// The id after `prefix` in `topic`, or 0.
std::int64_t id_of_topic(std::string_view topic, std::string_view prefix) {
  if (topic.substr(0, prefix.size()) != prefix) return 0;
  std::int64_t id = 0;
  const char* end = topic.data() + topic.size();
  auto [p, ec] = std::from_chars(topic.data() + prefix.size(), end, id);
  return ec == std::errc() && p == end && id > 0 ? id : 0;
}
}  // namespace

std::string challenge_topic_name(std::int64_t challenge_id) { return std::string(kChallengeTopic) + std::to_string(challenge_id); }
std::string idea_topic_name(std::int64_t idea_id) { return std::string(kIdeaTopic) + std::to_string(idea_id); }
std::int64_t challenge_of_topic(std::string_view topic) { return id_of_topic(topic, kChallengeTopic); }
std::int64_t idea_of_topic(std::string_view topic) { return id_of_topic(topic, kIdeaTopic); }

namespace {

// Topics kept in the events' own rows (a challenge's, an idea's) are searched by reading
// the log forward, at most this many events a call (see EventsAfter::searched_through):
// a replay from long ago costs a bounded read.
constexpr int kRowTopicScan = 20000;

// The columns read_event reads, in its order.
const std::string kEventsAfter =
    "SELECT seq, type, audience, owner_id, data, data_privileged, created_at, idea_id, challenge_id FROM events "
    "WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?";
const std::string kEventBySeq =
    "SELECT seq, type, audience, owner_id, data, data_privileged, created_at, idea_id, challenge_id FROM events "
    "WHERE seq = ?";

EventRecord read_event(SQLite::Statement& st) {
  EventRecord e;
  e.seq = st.getColumn(0).getInt64();
  e.type = st.getColumn(1).getString();
  e.audience = static_cast<Audience>(st.getColumn(2).getInt());
  e.owner_id = st.getColumn(3).getInt64();
  e.data = st.getColumn(4).getString();
  if (!st.getColumn(5).isNull()) e.data_privileged = st.getColumn(5).getString();
  e.created_at = st.getColumn(6).getString();
  e.idea_id = st.getColumn(7).getInt64();       // 0 when NULL
  e.challenge_id = st.getColumn(8).getInt64();  // 0 when NULL
  return e;
}

void load_topics(Connection& c, EventRecord& e) {
  auto st = c.prepare("SELECT topic FROM event_topics WHERE seq = ? ORDER BY topic");
  st->bind(1, e.seq);
  while (st->executeStep()) e.topics.push_back(st->getColumn(0).getString());
  if (e.idea_id) e.topics.push_back(idea_topic_name(e.idea_id));
  if (e.challenge_id) e.topics.push_back(challenge_topic_name(e.challenge_id));
  if (e.idea_id || e.challenge_id) std::sort(e.topics.begin(), e.topics.end());
}

// Seqs after `since` and at most `through` of the events on `topic` that have a row in
// event_topics (every topic but those kept in the events' rows, and those too for the
// events logged before their migrations), oldest first, at most `limit`, into `seqs`.
void topic_row_seqs(Connection& c, const std::string& topic, std::int64_t since, std::int64_t through, int limit,
                    std::set<std::int64_t>& seqs) {
  auto st = c.prepare("SELECT seq FROM event_topics WHERE topic = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?");
  st->bind(1, topic);
  st->bind(2, since);
  st->bind(3, through);
  st->bind(4, limit);
  while (st->executeStep()) seqs.insert(st->getColumn(0).getInt64());
}

// Seqs after `since` and at most `through` of the events that name one of `challenges` or
// `ideas` in their own row, oldest first, at most `limit`, into `seqs`, from one read of
// the log forward. `found` counts them. Returns 0, or the seq through which the read was
// complete when it stopped short (kRowTopicScan).
std::int64_t scan_row_topics(Connection& c, const std::vector<std::int64_t>& challenges,
                             const std::vector<std::int64_t>& ideas, std::int64_t since, std::int64_t through,
                             int limit, std::set<std::int64_t>& seqs, int& found) {
  auto scan = c.prepare("SELECT seq, challenge_id, idea_id FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?");
  scan->bind(1, since);
  scan->bind(2, through);
  scan->bind(3, kRowTopicScan);
  const auto named = [](const std::vector<std::int64_t>& ids, std::int64_t id) {
    return id && std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  int scanned = 0;
  std::int64_t last = since;
  while (found < limit && scan->executeStep()) {
    ++scanned;
    last = scan->getColumn(0).getInt64();
    if (named(challenges, scan->getColumn(1).getInt64()) || named(ideas, scan->getColumn(2).getInt64())) {
      seqs.insert(last);
      ++found;
    }
  }
  return found < limit && scanned == kRowTopicScan ? last : 0;
}

// The same search, answered from `recent` for the part of the range it holds, and from
// the log for the rest: before it (bounded; nothing after a read that stopped short
// counts) and after it (events durable but not yet published).
std::int64_t row_topic_seqs(Connection& c, const std::vector<std::int64_t>& challenges,
                            const std::vector<std::int64_t>& ideas, std::int64_t since, std::int64_t through, int limit,
                            std::set<std::int64_t>& seqs, const RecentRowTopics* recent) {
  int found = 0;
  if (!recent) return scan_row_topics(c, challenges, ideas, since, through, limit, seqs, found);
  // The window's events go straight in: if the read before the window stops short, the
  // caller drops everything after where it stopped, and a page filled before the window
  // takes its first `limit` seqs, which are all older.
  const auto answered = recent->find(challenges, ideas, since, through, limit, seqs);
  if (answered.after == answered.through) return scan_row_topics(c, challenges, ideas, since, through, limit, seqs, found);
  if (answered.after > since)
    if (auto stopped = scan_row_topics(c, challenges, ideas, since, answered.after, limit, seqs, found)) return stopped;
  found += answered.found;
  if (found >= limit || answered.through >= through) return 0;
  return scan_row_topics(c, challenges, ideas, answered.through, through, limit, seqs, found);
}

}  // namespace

EventsAfter events_since(Connection& c, std::int64_t since, const std::vector<std::string>& topics, int limit,
                         std::int64_t through, const RecentRowTopics* recent) {
  EventsAfter out;
  if (topics.empty()) {
    auto st = c.prepare(kEventsAfter);
    st->bind(1, since);
    st->bind(2, through);
    st->bind(3, limit);
    while (st->executeStep()) out.events.push_back(read_event(*st));
  } else {
    // Merge the topics' seqs: each topic's rows in event_topics from its own index range,
    // and those kept in the events' rows from one read of the log.
    std::set<std::int64_t> seqs;
    std::vector<std::int64_t> challenges, ideas;
    for (const auto& t : topics) {
      topic_row_seqs(c, t, since, through, limit, seqs);
      if (auto id = challenge_of_topic(t)) challenges.push_back(id);
      else if (auto id = idea_of_topic(t)) ideas.push_back(id);
    }
    if (!challenges.empty() || !ideas.empty())
      out.searched_through = row_topic_seqs(c, challenges, ideas, since, through, limit, seqs, recent);
    // Complete only up to where the read stopped: nothing after it, or a caller going
    // on from the last event would skip what the read did not reach.
    if (out.searched_through) seqs.erase(seqs.upper_bound(out.searched_through), seqs.end());
    for (auto seq : seqs) {
      if (static_cast<int>(out.events.size()) >= limit) break;
      auto st = c.prepare(kEventBySeq);
      st->bind(1, seq);
      if (st->executeStep()) out.events.push_back(read_event(*st));
    }
  }
  for (auto& e : out.events) load_topics(c, e);
  return out;
}

std::int64_t latest_seq(Connection& c) {
  auto st = c.prepare("SELECT coalesce(max(seq), 0) FROM events");
  return st->executeStep() ? st->getColumn(0).getInt64() : 0;
}

int prune_events(Connection& c, const std::string& before) {
  // Never the newest event: the next seq is one more than the largest kept
  // (sql/0009_events_without_autoincrement.sql), and seqs must never go back.
  const std::string pruned = "SELECT seq FROM events WHERE created_at < ?1 AND seq < (SELECT max(seq) FROM events)";
  auto t = c.prepare("DELETE FROM event_topics WHERE seq IN (" + pruned + ")");
  t->bind(1, before);
  t->exec();
  auto st = c.prepare("DELETE FROM events WHERE seq IN (" + pruned + ")");
  st->bind(1, before);
  return st->exec();
}

}  // namespace cc::store
