#include "store/events_repo.hpp"

#include <algorithm>
#include <map>

namespace cc::store {

namespace {
EventRecord read_event(SQLite::Statement& st) {
  EventRecord e;
  e.seq = st.getColumn(0).getInt64();
  e.type = st.getColumn(1).getString();
  e.audience = static_cast<Audience>(st.getColumn(2).getInt());
  e.owner_id = st.getColumn(3).getInt64();
  e.data = st.getColumn(4).getString();
  if (!st.getColumn(5).isNull()) e.data_privileged = st.getColumn(5).getString();
  e.created_at = st.getColumn(6).getString();
  return e;
}

void load_topics(Connection& c, EventRecord& e) {
  auto st = c.prepare("SELECT topic FROM event_topics WHERE seq = ? ORDER BY topic");
  st->bind(1, e.seq);
  while (st->executeStep()) e.topics.push_back(st->getColumn(0).getString());
}
}  // namespace

std::vector<EventRecord> events_since(Connection& c, std::int64_t since, const std::vector<std::string>& topics, int limit) {
  std::vector<EventRecord> out;
  if (topics.empty()) {
    auto st = c.prepare("SELECT seq, type, audience, owner_id, data, data_privileged, created_at FROM events "
                        "WHERE seq > ? ORDER BY seq LIMIT ?");
    st->bind(1, since);
    st->bind(2, limit);
    while (st->executeStep()) out.push_back(read_event(*st));
  } else {
    // Merge the per-topic index ranges: each topic's seqs come from its own index.
    std::map<std::int64_t, bool> seqs;
    for (const auto& t : topics) {
      auto st = c.prepare("SELECT seq FROM event_topics WHERE topic = ? AND seq > ? ORDER BY seq LIMIT ?");
      st->bind(1, t);
      st->bind(2, since);
      st->bind(3, limit);
      while (st->executeStep()) seqs[st->getColumn(0).getInt64()] = true;
    }
    for (auto& [seq, _] : seqs) {
      if (static_cast<int>(out.size()) >= limit) break;
      auto st = c.prepare("SELECT seq, type, audience, owner_id, data, data_privileged, created_at FROM events WHERE seq = ?");
      st->bind(1, seq);
      if (st->executeStep()) out.push_back(read_event(*st));
    }
  }
  for (auto& e : out) load_topics(c, e);
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
