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

}  // namespace cc::service
