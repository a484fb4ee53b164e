#include "store/search_repo.hpp"

namespace cc::store {

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

std::vector<SearchHit> search_ideas(Connection& c, const SearchQuery& q) {
  std::vector<SearchHit> out;
  auto match = fts_query(q.text);
  if (match.empty()) return out;
  // First the page of ids in rank order, then a snippet for each of them: a snippet in
  // the ranking query would be built for every match before the sort, not just the page.
  std::string sql =
      "SELECT i.id FROM ideas_fts JOIN ideas i ON i.id = ideas_fts.rowid JOIN challenges ch ON ch.id = i.challenge_id "
      "WHERE ideas_fts MATCH ?1 AND i.status <> 'merged'";
  if (!q.privileged) sql += " AND i.hidden = 0 AND ch.status <> 'draft'";
  if (q.challenge_id) sql += " AND i.challenge_id = ?2";
  if (q.principle_id)
    sql += " AND EXISTS (SELECT 1 FROM challenge_principles p WHERE p.challenge_id = i.challenge_id AND p.principle_id = ?3)";
  sql += " ORDER BY bm25(ideas_fts, 10.0, 1.0, 5.0), i.id DESC LIMIT ?4 OFFSET ?5";
  std::vector<std::int64_t> ids;
  {
    auto st = c.prepare(sql);
    st->bind(1, match);
    if (q.challenge_id) st->bind(2, *q.challenge_id);
    if (q.principle_id) st->bind(3, *q.principle_id);
    st->bind(4, q.limit);
    st->bind(5, q.offset);
    while (st->executeStep()) ids.push_back(st->getColumn(0).getInt64());
  }
  auto snip = c.prepare(
      "SELECT snippet(ideas_fts, -1, char(1), char(2), '…', 16) FROM ideas_fts WHERE ideas_fts MATCH ?1 AND rowid = ?2");
  for (auto id : ids) {
    snip->bind(1, match);
    snip->bind(2, id);
    out.push_back(to_hit(id, snip->executeStep() ? snip->getColumn(0).getString() : std::string()));
    snip->reset();
  }
  return out;
}

}  // namespace cc::store
