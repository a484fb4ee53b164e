#pragma once
// Comment use cases: list (oldest first), write (with one level of replies), edit, delete.
#include "domain/idea.hpp"
#include "domain/viewer.hpp"
#include "service/outcome.hpp"
#include "service/page.hpp"

namespace cc::service {

class Comments {
public:
  explicit Comments(store::Store& store) : store_(store) {}

  Page<domain::Comment> list(const domain::Viewer& v, std::int64_t idea_id, const std::optional<std::string>& cursor,
                             int limit);
  void create(const domain::Viewer& actor, std::int64_t idea_id, std::string body, std::optional<std::int64_t> parent_id,
              bool confirmed, Then<domain::Comment> then);
  void edit(const domain::Viewer& actor, std::int64_t id, std::string body, bool confirmed, Then<domain::Comment> then);
  void remove(const domain::Viewer& actor, std::int64_t id, Then<bool> then);

  // Hides or shows a comment for moderation, inside a transaction.
  static void set_hidden(store::WriteTx& tx, std::int64_t id, bool hidden, const std::string& reason);

private:
  store::Store& store_;
};

}  // namespace cc::service
