#pragma once
// JSON forms of the domain types (SPEC §4). What is shown depends on the viewer:
// anonymous authors only to the design group, hidden comment bodies likewise.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "domain/challenge.hpp"
#include "domain/idea.hpp"
#include "domain/principle.hpp"
#include "domain/viewer.hpp"
#include "json/writer.hpp"

namespace cc::json {

nlohmann::json challenge_json(const domain::Challenge& c);
nlohmann::json idea_json(const domain::Idea& i, const domain::Viewer& v, bool with_my_vote = true);
nlohmann::json history_json(const std::vector<domain::HistoryEntry>& h);
nlohmann::json comment_json(const domain::Comment& c, const domain::Viewer& v);
// {"idea_id", "score", "votes": {"down", "up"}} as text, in dump()'s order; with `my_vote`,
// a vote's answer, which adds it. The payload of vote.changed: built as documents, a
// vote's event and answer were a tenth of its instructions in the network threads.
std::string votes_text(const domain::IdeaTally& t, std::optional<int> my_vote = std::nullopt);
std::string votes_text(const domain::Idea& i);

// The same as idea_json and history_json, written straight as text for the hot paths
// (lists, an idea's page, search): the idea's members go into an object the caller has
// opened, so it can add its own (tests/unit/domain_json_test.cpp keeps the two equal).
void write_idea_members(TextWriter& w, const domain::Idea& i, const domain::Viewer& v, bool with_my_vote = true);

// An idea's members as text once, for every viewer: what depends on the viewer (the
// anonymous author, my_vote, mine, hidden) is left out and written per reader. A page of
// the top list is the same twenty ideas for everyone, and writing them was half of its
// instructions; kept per snapshot (api/ideas_api.cpp), they are copied instead.
class IdeaText {
public:
  explicit IdeaText(const domain::Idea& i);
  // The same bytes as write_idea_members(w, i, v) for the idea it was made from, with
  // `my_vote` as the viewer's vote.
  void write_members(TextWriter& w, const domain::Viewer& v, int my_vote) const;

private:
  std::int64_t author_id_;
  bool anonymous_;
  bool hidden_;
  std::string text_;  // the members, from "id" to "updated_at", with the parts below
  std::size_t author_at_ = 0, author_end_ = 0, my_vote_at_ = 0, after_my_vote_ = 0;
};

void write_history(TextWriter& w, const std::vector<domain::HistoryEntry>& h);

}  // namespace cc::json
