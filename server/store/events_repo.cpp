#include "store/events_repo.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <string_view>

namespace cc::store {

namespace {
constexpr std::string_view kIdeaTopic = "idea:";
}  // namespace

std::string challenge_topic_name(std::int64_t challenge_id) { return "challenge:" + std::to_string(challenge_id); }
std::string idea_topic_name(std::int64_t idea_id) { return std::string(kIdeaTopic) + std::to_string(idea_id); }

namespace {

// An idea's events are looked for among at most this many of its challenge's a call
// (see EventsAfter::searched_through): a replay from long ago costs a bounded read.
constexpr int kIdeaTopicScan = 20000;

// The columns read_event reads, in its order.
const std::string kEventsAfter =
    "SELECT seq, type, audience, owner_id, data, data_privileged, created_at, idea_id FROM events "
    "WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?";
const std::string kEventBySeq =
    "SELECT seq, type, audience, owner_id, data, data_privileged, created_at, idea_id FROM events WHERE seq = ?";

EventRecord read_event(SQLite::Statement& st) {
  EventRecord e;
  e.seq = st.getColumn(0).getInt64();
  e.type = st.getColumn(1).getString();
  e.audience = static_cast<Audience>(st.getColumn(2).getInt());
  e.owner_id = st.getColumn(3).getInt64();
  e.data = st.getColumn(4).getString();
  if (!st.getColumn(5).isNull()) e.data_privileged = st.getColumn(5).getString();
  e.created_at = st.getColumn(6).getString();
  e.idea_id = st.getColumn(7).getInt64();  // 0 when NULL
  return e;
}

void load_topics(Connection& c, EventRecord& e) {
  auto st = c.prepare("SELECT topic FROM event_topics WHERE seq = ? ORDER BY topic");
  st->bind(1, e.seq);
  while (st->executeStep()) e.topics.push_back(st->getColumn(0).getString());
  if (e.idea_id) {
    e.topics.push_back(idea_topic_name(e.idea_id));
    std::sort(e.topics.begin(), e.topics.end());
  }
}

// The idea an `idea:<id>` topic names, or 0.
std::int64_t idea_of_topic(const std::string& topic) {
  if (topic.compare(0, kIdeaTopic.size(), kIdeaTopic) != 0) return 0;
  std::int64_t id = 0;
  const char* end = topic.data() + topic.size();
  auto [p, ec] = std::from_chars(topic.data() + kIdeaTopic.size(), end, id);
  return ec == std::errc() && p == end && id > 0 ? id : 0;
}

// Seqs after `since` and at most `through` of the events on `topic`, oldest first, at
// most `limit`, into `seqs`. Returns 0, or the seq through which the search was complete
// when it stopped short (an idea's topic, kIdeaTopicScan).
std::int64_t topic_seqs(Connection& c, const std::string& topic, std::int64_t since, std::int64_t through, int limit,
                        std::set<std::int64_t>& seqs) {
  auto st = c.prepare("SELECT seq FROM event_topics WHERE topic = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?");
  st->bind(1, topic);
  st->bind(2, since);
  st->bind(3, through);
  st->bind(4, limit);
  while (st->executeStep()) seqs.insert(st->getColumn(0).getInt64());

  const std::int64_t idea = idea_of_topic(topic);
  if (!idea) return 0;
  // Since migration 0006 an idea's events are marked in their row instead, and are
  // among its challenge's (an idea never changes challenge).
  auto ch = c.prepare("SELECT challenge_id FROM ideas WHERE id = ?");
  ch->bind(1, idea);
  if (!ch->executeStep()) return 0;
  const std::string challenge = challenge_topic_name(ch->getColumn(0).getInt64());
  auto scan = c.prepare(
      "SELECT t.seq, e.idea_id FROM event_topics t JOIN events e ON e.seq = t.seq "
      "WHERE t.topic = ? AND t.seq > ? AND t.seq <= ? ORDER BY t.seq LIMIT ?");
  scan->bind(1, challenge);
  scan->bind(2, since);
  scan->bind(3, through);
  scan->bind(4, kIdeaTopicScan);
  int scanned = 0, found = 0;
  std::int64_t last = since;
  while (found < limit && scan->executeStep()) {
    ++scanned;
    last = scan->getColumn(0).getInt64();
    if (scan->getColumn(1).getInt64() == idea) {
      seqs.insert(last);
      ++found;
    }
  }
  return found < limit && scanned == kIdeaTopicScan ? last : 0;
}

}  // namespace

EventsAfter events_since(Connection& c, std::int64_t since, const std::vector<std::string>& topics, int limit,
                         std::int64_t through) {
  EventsAfter out;
  if (topics.empty()) {
    auto st = c.prepare(kEventsAfter);
    st->bind(1, since);
    st->bind(2, through);
    st->bind(3, limit);
    while (st->executeStep()) out.events.push_back(read_event(*st));
  } else {
    // Merge the topics' seqs, each from its own index range.
    std::set<std::int64_t> seqs;
    for (const auto& t : topics) {
      auto searched = topic_seqs(c, t, since, through, limit, seqs);
      if (searched && (!out.searched_through || searched < out.searched_through)) out.searched_through = searched;
    }
    // Complete only up to where a search stopped: nothing after it, or a caller going
    // on from the last event would skip what the search did not reach.
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
  auto t = c.prepare("DELETE FROM event_topics WHERE seq IN (SELECT seq FROM events WHERE created_at < ?)");
  t->bind(1, before);
  t->exec();
  auto st = c.prepare("DELETE FROM events WHERE created_at < ?");
  st->bind(1, before);
  return st->exec();
}

}  // namespace cc::store
