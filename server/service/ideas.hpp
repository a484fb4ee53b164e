#pragma once
// Idea use cases: list and rank, read with its journey, submit, edit, change status,
// merge and unmerge, vote, follow.
#include "domain/challenge.hpp"
#include "domain/idea.hpp"
#include "domain/ranking.hpp"
#include "domain/viewer.hpp"
#include "service/list_snapshots.hpp"
#include "service/outcome.hpp"
#include "service/page.hpp"
#include "store/ideas_repo.hpp"

namespace cc::service {

struct IdeaView {
  store::ListedIdea idea;
  std::vector<domain::HistoryEntry> history;
  std::vector<domain::IdeaWorkshop> workshops;
};

struct IdeaPatch {
  std::optional<std::string> title;
  std::optional<std::string> body;
  std::optional<std::vector<std::string>> tags;
  std::optional<domain::IdeaStatus> status;
  std::optional<std::string> status_note;
  bool confirm_no_patient_data = false;
};

struct VoteResult {
  domain::Idea idea;  // with my_vote set
};

class Ideas {
public:
  explicit Ideas(store::Store& store) : store_(store) {}

  // The ideas shared with the reader's kept rows (store::ListedIdea), not copied.
  // `own_writes`: the commit count of the reader's latest write (service/recent_writes.hpp).
  Page<store::ListedIdea> list(const domain::Viewer& v, std::int64_t challenge_id, domain::IdeaSort sort,
                               std::optional<domain::IdeaStatus> status, const std::optional<std::string>& cursor, int limit,
                               std::uint64_t own_writes = 0);
  IdeaView get(const domain::Viewer& v, std::int64_t id);

  void create(const domain::Viewer& actor, std::int64_t challenge_id, domain::NewIdea input, bool confirmed,
              Then<domain::Idea> then);
  void update(const domain::Viewer& actor, std::int64_t id, IdeaPatch patch, Then<domain::Idea> then);
  void merge(const domain::Viewer& actor, std::int64_t id, std::int64_t into_id, std::optional<std::string> note,
             Then<domain::Idea> then);
  void unmerge(const domain::Viewer& actor, std::int64_t id, Then<domain::Idea> then);
  void vote(const domain::Viewer& actor, std::int64_t id, int value, Then<domain::IdeaTally> then);
  void follow(const domain::Viewer& actor, const std::string& type, std::int64_t id, bool following, Then<bool> then);

  // The idea as the viewer may see it, or 404 (shared with comments, flags, workshops).
  static domain::Idea visible(store::Connection& c, const domain::Viewer& v, std::int64_t id, bool* challenge_draft = nullptr);
  // Changes an idea's status inside a transaction: history, events, notifications.
  static domain::Idea change_status(store::WriteTx& tx, std::int64_t idea_id, domain::IdeaStatus status,
                                    const std::string& note, std::int64_t actor, const std::string& notification_type);

private:
  store::Store& store_;
  ListSnapshots snapshots_;
};

}  // namespace cc::service
