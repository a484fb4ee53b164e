#pragma once
// A page of a list (SPEC §4 Lists): items and the cursor of the next page, if any.
#include <optional>
#include <string>
#include <vector>

namespace cc::service {

template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_cursor;
};

// Lists take limit (default 20, at most 100).
int clamp_limit(std::optional<std::int64_t> limit);

// Cursors are opaque to clients: a small JSON object, base64url-encoded.
std::string encode_cursor(const std::string& json_text);
// Throws validation_failed (field "cursor") when the cursor is not one of ours.
std::string decode_cursor(const std::string& cursor);

// Keyset cursors hold one whole number under a one-letter key ("b": before this id,
// "a": after it, "o": an offset). int_cursor makes one; cursor_value reads it back
// (0 without a cursor) and refuses anything else.
std::string int_cursor(const char* key, std::int64_t value);
std::int64_t cursor_value(const std::optional<std::string>& cursor, const char* key);
// The cursor of a ranked list's next page: its snapshot's key ("s") and the offset ("o").
std::string snapshot_cursor(const std::string& snapshot, std::size_t offset);

// A page from rows fetched with limit + 1: keeps `limit` and, when there were more,
// points the next cursor at the last kept row.
template <class T, class KeyOf>
Page<T> page_of(std::vector<T> rows, int limit, const char* key, KeyOf key_of) {
  Page<T> page;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(static_cast<std::size_t>(limit));
    page.next_cursor = int_cursor(key, key_of(rows.back()));
  }
  page.items = std::move(rows);
  return page;
}

}  // namespace cc::service
