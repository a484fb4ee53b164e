#include "store/search_repo.hpp"

#include <algorithm>
#include <unordered_map>

#include "store/snapshot_cache.hpp"

namespace cc::store {

namespace {
constexpr int kSearchCandidates = 2000;
}  // namespace

std::string fts_query(const std::string& text) {
  // Words are runs of letters and digits (any non-ASCII byte counts as a letter, so
  // accented and non-Latin words survive); everything else separates words. Each word is
  // quoted, so FTS5 operators and quotes in user text are inert.
  std::vector<std::string> words;
  std::string cur;
  for (unsigned char ch : text) {
    bool word = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
    if (word) {
      cur += static_cast<char>(ch);
    } else if (!cur.empty()) {
      words.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  if (words.size() > 16) words.resize(16);
  std::string q;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!q.empty()) q += ' ';
    q += '"' + words[i] + '"';
    if (i + 1 == words.size() && text.back() != ' ') q += '*';
  }
  return q;
}

namespace {
// Strips the \x01 / \x02 markers FTS5 put around matches, recording where they were
// in UTF-16 code units (what a browser's string indexes count).
SearchHit to_hit(std::int64_t id, const std::string& marked) {
  SearchHit h;
  h.idea_id = id;
  int units = 0, start = -1;
  for (std::size_t i = 0; i < marked.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(marked[i]);
    if (c == 0x01) { start = units; continue; }
    if (c == 0x02) {
      if (start >= 0) h.highlights.emplace_back(start, units - start);
      start = -1;
      continue;
    }
    h.snippet += static_cast<char>(c);
    if ((c & 0xC0) != 0x80) units += (c >= 0xF0) ? 2 : 1;  // 4-byte sequences are surrogate pairs
  }
  return h;
}
}  // namespace

namespace {
// Pages of hits as found at the thread's current snapshot: staff search the same few
// words (the week's topics) over and over, and each search ranks thousands of matches.
// Any commit starts afresh, so a new or changed idea is found at once.
thread_local SnapshotCache<std::string, std::vector<SearchHit>, 1024> t_hits;

std::vector<SearchHit> find_hits(Connection& c, const SearchQuery& q, const std::string& match);
}  // namespace

std::vector<SearchHit> search_ideas(Connection& c, const SearchQuery& q) {
  auto match = fts_query(q.text);
  if (match.empty()) return {};
  auto key = match + '|' + std::to_string(q.challenge_id.value_or(0)) + '|' + std::to_string(q.principle_id.value_or(0)) +
             '|' + (q.privileged ? 'p' : 's') + '|' + std::to_string(q.offset) + '|' + std::to_string(q.limit);
  const auto snapshot = c.snapshot();
  if (const auto* kept = t_hits.find(snapshot, key)) return *kept;
  auto hits = find_hits(c, q, match);
  t_hits.put(snapshot, key, hits);
  return hits;
}

namespace {
std::vector<SearchHit> find_hits(Connection& c, const SearchQuery& q, const std::string& match) {
  std::vector<SearchHit> out;
  // Relevance is ranked among the newest kSearchCandidates matches: bm25 costs about a
  // microsecond a match, and a common word matches tens of thousands of ideas at scale
  // (13,000 of 100,000 for "discharge": 12 ms to rank them all, 3 ms for the newest
  // 2,000). The candidates come from the full-text index alone, in its own rowid order;
  // only those that rank into the page are then checked against the ideas and challenges.
  std::string sql = "SELECT f.rowid, bm25(ideas_fts, 10.0, 1.0, 5.0) FROM ideas_fts f";
  if (q.challenge_id || q.principle_id) sql += " JOIN ideas i ON i.id = f.rowid";
  sql += " WHERE ideas_fts MATCH ?1";
  if (q.challenge_id) sql += " AND i.challenge_id = ?2";
  if (q.principle_id)
    sql += " AND EXISTS (SELECT 1 FROM challenge_principles p WHERE p.challenge_id = i.challenge_id AND p.principle_id = ?3)";
  sql += " ORDER BY f.rowid DESC LIMIT ?4";
  struct Candidate {
    std::int64_t id;
    double rank;
  };
  std::vector<Candidate> candidates;
  {
    auto st = c.prepare(sql);
    st->bind(1, match);
    if (q.challenge_id) st->bind(2, *q.challenge_id);
    if (q.principle_id) st->bind(3, *q.principle_id);
    st->bind(4, kSearchCandidates);
    while (st->executeStep()) candidates.push_back({st->getColumn(0).getInt64(), st->getColumn(1).getDouble()});
  }
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.id > b.id;  // bm25: lower is better
  });
  auto visible = c.prepare(std::string("SELECT 1 FROM ideas i JOIN challenges ch ON ch.id = i.challenge_id "
                                       "WHERE i.id = ?1 AND i.status <> 'merged'") +
                           (q.privileged ? "" : " AND i.hidden = 0 AND ch.status <> 'draft'"));
  std::vector<std::int64_t> ids;
  int skipped = 0;
  for (const auto& cand : candidates) {
    if (static_cast<int>(ids.size()) >= q.limit) break;
    visible->bind(1, cand.id);
    bool ok = visible->executeStep();
    visible->reset();
    if (!ok) continue;
    if (skipped < q.offset) {
      ++skipped;
      continue;
    }
    ids.push_back(cand.id);
  }
  if (ids.empty()) return out;
  // The page's snippets in one pass of the match over the page's range of rowids: one
  // query an idea ran the match (a prefix match, as typed) again for each, about 1 ms an
  // idea and most of a search that was not kept. `+rowid` keeps the list from becoming
  // one lookup an idea; the placeholders keep one cached statement per page size.
  auto [lo, hi] = std::minmax_element(ids.begin(), ids.end());
  std::string sql_snip =
      "SELECT rowid, snippet(ideas_fts, -1, char(1), char(2), '…', 16) FROM ideas_fts "
      "WHERE ideas_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3 AND +rowid IN (";
  for (std::size_t i = 0; i < ids.size(); ++i) sql_snip += (i ? ",?" : "?") + std::to_string(i + 4);
  sql_snip += ")";
  std::unordered_map<std::int64_t, std::string> snippets;
  {
    auto snip = c.prepare(sql_snip);
    snip->bind(1, match);
    snip->bind(2, *lo);
    snip->bind(3, *hi);
    for (std::size_t i = 0; i < ids.size(); ++i) snip->bind(static_cast<int>(i + 4), ids[i]);
    while (snip->executeStep()) snippets.emplace(snip->getColumn(0).getInt64(), snip->getColumn(1).getString());
  }
  for (auto id : ids) {
    auto it = snippets.find(id);
    out.push_back(to_hit(id, it == snippets.end() ? std::string() : it->second));
  }
  return out;
}
}  // namespace

}  // namespace cc::store
