#pragma once
// Full-text search over ideas (SQLite FTS5): titles, bodies and tags, best match first.
#include <optional>
#include <string>
#include <vector>

#include "store/connection.hpp"

namespace cc::store {

struct SearchQuery {
  std::string text;
  std::optional<std::int64_t> challenge_id;
  std::optional<std::int64_t> principle_id;
  bool privileged = false;  // design group: drafts and hidden ideas too
  int offset = 0;
  int limit = 20;
};

struct SearchHit {
  std::int64_t idea_id = 0;
  std::string snippet;                           // plain text
  std::vector<std::pair<int, int>> highlights;   // [start, length] in UTF-16 code units of snippet
};

// Turns free text into a safe FTS5 query: every word quoted, the last one a prefix.
// Returns an empty string when there is nothing to search for.
std::string fts_query(const std::string& text);
std::vector<SearchHit> search_ideas(Connection& c, const SearchQuery& q);

}  // namespace cc::store
