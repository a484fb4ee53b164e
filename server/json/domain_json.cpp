#include "json/domain_json.hpp"

#include <charconv>

#include "json/user_json.hpp"

namespace cc::json {

using nlohmann::json;

namespace {
json opt(const std::optional<std::string>& s) { return s ? json(*s) : json(); }
json opt(const std::optional<std::int64_t>& s) { return s ? json(*s) : json(); }
}  // namespace

json challenge_json(const domain::Challenge& c) {
  return {{"id", c.id},
          {"title", c.title},
          {"brief", c.brief},
          {"principle_ids", c.principle_ids},
          {"status", domain::to_string(c.status)},
          {"opens_at", opt(c.opens_at)},
          {"closes_at", opt(c.closes_at)},
          {"voting",
           {{"model", domain::to_string(c.voting.model)},
            {"votes_per_user", c.voting.votes_per_user ? json(*c.voting.votes_per_user) : json()}}},
          {"forward",
           {{"top_n", c.forward.top_n}, {"min_votes", c.forward.min_votes}, {"workshop_id", opt(c.forward.workshop_id)}}},
          {"parent_idea_id", opt(c.parent_idea_id)},
          {"created_at", c.created_at},
          {"updated_at", c.updated_at},
          {"counts",
           {{"ideas", c.counts.ideas},
            {"comments", c.counts.comments},
            {"votes", c.counts.votes},
            {"participants", c.counts.participants}}}};
}

json idea_json(const domain::Idea& i, const domain::Viewer& v, bool with_my_vote) {
  bool show_author = !i.anonymous || v.privileged();
  json j = {{"id", i.id},
            {"challenge_id", i.challenge_id},
            {"title", i.title},
            {"body", i.body},
            {"tags", i.tags},
            {"anonymous", i.anonymous},
            {"author", show_author ? person_json(i.author.id, i.author.display_name, i.author.profession) : json()},
            {"status", domain::to_string(i.status)},
            {"status_note", opt(i.status_note)},
            {"merged_into_id", opt(i.merged_into_id)},
            {"votes", {{"up", i.up}, {"down", i.down}}},
            {"score", i.score},
            {"my_vote", with_my_vote ? json(i.my_vote) : json()},
            {"comment_count", i.comment_count},
            {"created_at", i.created_at},
            {"updated_at", i.updated_at}};
  // The author always knows their own idea, even when it is anonymous to everyone else.
  if (v.user_id != 0) j["mine"] = v.user_id == i.author.id;
  if (v.privileged()) j["hidden"] = i.hidden;
  return j;
}

void write_idea_members(TextWriter& w, const domain::Idea& i, const domain::Viewer& v, bool with_my_vote) {
  w.key("id").integer(i.id);
  w.key("challenge_id").integer(i.challenge_id);
  w.key("title").string(i.title);
  w.key("body").string(i.body);
  w.key("tags").begin_array();
  for (const auto& t : i.tags) w.string(t);
  w.end_array();
  w.key("anonymous").boolean(i.anonymous);
  w.key("author");
  if (!i.anonymous || v.privileged()) {
    w.begin_object();
    w.key("id").integer(i.author.id);
    w.key("display_name").string(i.author.display_name);
    w.key("profession").string(i.author.profession);
    w.end_object();
  } else {
    w.null();
  }
  w.key("status").string(domain::to_string(i.status));
  w.key("status_note").optional(i.status_note);
  w.key("merged_into_id").optional(i.merged_into_id);
  w.key("votes").begin_object().key("up").integer(i.up).key("down").integer(i.down).end_object();
  w.key("score").integer(i.score);
  w.key("my_vote");
  if (with_my_vote) w.integer(i.my_vote);
  else w.null();
  w.key("comment_count").integer(i.comment_count);
  w.key("created_at").string(i.created_at);
  w.key("updated_at").string(i.updated_at);
  if (v.user_id != 0) w.key("mine").boolean(v.user_id == i.author.id);
  if (v.privileged()) w.key("hidden").boolean(i.hidden);
}

IdeaText::IdeaText(const domain::Idea& i) : author_id_(i.author.id), anonymous_(i.anonymous), hidden_(i.hidden) {
  // Written by write_idea_members itself, for a design group member without a vote (who
  // sees every author), so that the two cannot drift apart; then the viewer's parts are
  // marked. User text cannot contain the marks: its quotes are escaped.
  TextWriter w(text_);
  write_idea_members(w.begin_object(), i, domain::Viewer::design_group(), false);
  // {"id":...,"author":{...},"status":...,"my_vote":null,...,"updated_at":"...","hidden":false}
  constexpr std::string_view author = ",\"author\":", status = ",\"status\":", vote = ",\"my_vote\":",
                             no_vote = "null", hidden = ",\"hidden\":";
  text_.resize(text_.rfind(hidden));
  text_.erase(0, 1);
  author_at_ = text_.find(author) + author.size();
  author_end_ = text_.find(status, author_at_);
  my_vote_at_ = text_.find(vote, author_end_) + vote.size();
  after_my_vote_ = my_vote_at_ + no_vote.size();
}

void IdeaText::write_members(TextWriter& w, const domain::Viewer& v, int my_vote) const {
  const std::string_view t = text_;
  w.raw_members(t.substr(0, author_at_));
  std::string& out = w.text();
  if (!anonymous_ || v.privileged()) out.append(t.substr(author_at_, author_end_ - author_at_));
  else out.append("null");
  out.append(t.substr(author_end_, my_vote_at_ - author_end_));
  char digits[12];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, my_vote).ptr);
  out.append(t.substr(after_my_vote_));
  if (v.user_id != 0) w.key("mine").boolean(v.user_id == author_id_);
  if (v.privileged()) w.key("hidden").boolean(hidden_);
}

void write_history(TextWriter& w, const std::vector<domain::HistoryEntry>& h) {
  w.begin_array();
  for (const auto& e : h) {
    w.begin_object();
    w.key("status").string(e.status);
    w.key("note").string(e.note);
    w.key("by");
    if (e.by) w.begin_object().key("id").integer(e.by->id).key("display_name").string(e.by->display_name).end_object();
    else w.null();
    w.key("at").string(e.at);
    w.end_object();
  }
  w.end_array();
}

json history_json(const std::vector<domain::HistoryEntry>& h) {
  json out = json::array();
  for (const auto& e : h)
    out.push_back({{"status", e.status},
                   {"note", e.note},
                   {"by", e.by ? json{{"id", e.by->id}, {"display_name", e.by->display_name}} : json()},
                   {"at", e.at}});
  return out;
}

json comment_json(const domain::Comment& c, const domain::Viewer& v) {
  std::string body = c.body;
  if (c.state == domain::CommentState::deleted) body = "[deleted by its author]";
  else if (c.state == domain::CommentState::hidden && !v.privileged()) body = "[hidden by the moderators]";
  json j = {{"id", c.id},
            {"idea_id", c.idea_id},
            {"parent_id", opt(c.parent_id)},
            {"body", body},
            {"author", c.state == domain::CommentState::deleted
                           ? json()
                           : person_json(c.author.id, c.author.display_name, c.author.profession)},
            {"state", domain::to_string(c.state)},
            {"created_at", c.created_at},
            {"edited_at", opt(c.edited_at)}};
  if (c.state == domain::CommentState::hidden) j["hidden_reason"] = opt(c.hidden_reason);
  return j;
}

namespace {
std::string votes_text(std::int64_t id, std::int64_t up, std::int64_t down, std::int64_t score,
                       std::optional<int> my_vote) {
  std::string out;
  out.reserve(96);
  TextWriter w(out);
  // In dump()'s order: keys sorted.
  w.begin_object().key("idea_id").integer(id);
  if (my_vote) w.key("my_vote").integer(*my_vote);
  w.key("score").integer(score);
  w.key("votes").begin_object().key("down").integer(down).key("up").integer(up).end_object();
  w.end_object();
  return out;
}
}  // namespace

std::string votes_text(const domain::IdeaTally& t, std::optional<int> my_vote) {
  return votes_text(t.id, t.up, t.down, t.score, my_vote);
}
std::string votes_text(const domain::Idea& i) { return votes_text(i.id, i.up, i.down, i.score, std::nullopt); }

}  // namespace cc::json
