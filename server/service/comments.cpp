#include "service/comments.hpp"

#include "common/clock.hpp"
#include "domain/error.hpp"
#include "domain/patient_guard.hpp"
#include "json/domain_json.hpp"
#include "service/events.hpp"
#include "service/ideas.hpp"
#include "store/challenges_repo.hpp"
#include "store/comments_repo.hpp"
#include "store/ideas_repo.hpp"
#include "store/social_repo.hpp"

namespace cc::service {

using domain::Comment;
using Json = nlohmann::json;

namespace {
// A comment event goes to the idea's and the challenge's topics, with the public and
// the design group's view of the comment.
void emit_comment(store::WriteTx& tx, const std::string& type, const Comment& c, const domain::Idea& idea, bool draft) {
  auto counts = store::find_idea(tx.conn, idea.id);
  Json pub = {{"idea_id", idea.id}, {"comment", cc::json::comment_json(c, domain::Viewer::anyone())},
              {"comment_count", counts ? counts->comment_count : 0}};
  Json priv = pub;
  priv["comment"] = cc::json::comment_json(c, domain::Viewer::design_group());
  emit(tx, type, IdeaTopics{idea.challenge_id, idea.id}, pub, priv,
       draft || idea.hidden ? store::Audience::privileged : store::Audience::everyone);
}

Comment load(store::Connection& c, std::int64_t id) {
  auto comment = store::find_comment(c, id);
  if (!comment) throw domain::not_found("comment");
  return *comment;
}
}  // namespace

Page<Comment> Comments::list(const domain::Viewer& v, std::int64_t idea_id, const std::optional<std::string>& cursor,
                             int limit) {
  auto& c = store_.reader();
  store::ReadTx read(c);
  Ideas::visible(c, v, idea_id);
  auto rows = store::list_comments(c, idea_id, cursor_value(cursor, "a"), limit + 1);
  return page_of(std::move(rows), limit, "a", [](const Comment& x) { return x.id; });
}

void Comments::create(const domain::Viewer& actor, std::int64_t idea_id, std::string body,
                      std::optional<std::int64_t> parent_id, bool confirmed, Then<Comment> then) {
  try {
    domain::validate_comment_body(body);
    domain::guard_patient_data("body", body, confirmed);
    write<Comment>(
        store_,
        [actor, idea_id, body, parent_id](store::WriteTx& tx) {
          bool draft = false;
          auto idea = Ideas::visible(tx.conn, actor, idea_id, &draft);
          auto ch = store::find_challenge(tx.conn, idea.challenge_id);
          if (ch->status == domain::ChallengeStatus::archived) throw domain::conflict("this challenge is archived");
          if (idea.status == domain::IdeaStatus::merged)
            throw domain::conflict("this idea has been merged; comment on the idea it joined");
          std::optional<Comment> parent;
          if (parent_id) {
            parent = store::find_comment(tx.conn, *parent_id);
            if (!parent || parent->idea_id != idea_id)
              throw domain::validation_error("parent_id", "parent_id names no comment on this idea");
            if (parent->parent_id) throw domain::validation_error("parent_id", "replies go one level deep: reply to the first comment");
          }
          auto now = now_rfc3339();
          auto id = store::insert_comment(tx.conn, idea_id, actor.user_id, parent_id, body, now);
          auto st = tx.conn.prepare("UPDATE ideas SET comment_count = comment_count + 1 WHERE id = ?");
          st->bind(1, idea_id);
          st->exec();
          store::bump_challenge_counts(tx.conn, idea.challenge_id, 0, 1, 0);
          store::add_participant(tx.conn, idea.challenge_id, actor.user_id, now);
          store::auto_follow(tx.conn, actor.user_id, "idea", idea_id);
          auto comment = load(tx.conn, id);
          emit_comment(tx, "comment.created", comment, idea, draft);
          // New comments tell the idea's author (and the author of the comment replied to).
          Json data = {{"idea_id", idea.id}, {"challenge_id", idea.challenge_id}, {"title", idea.title},
                       {"comment_id", id}, {"by", comment.author.display_name}};
          std::set<std::int64_t> to = {idea.author.id};
          if (parent) to.insert(parent->author.id);
          notify(tx, to, actor.user_id, "comment.created", data);
          return comment;
        },
        std::move(then));
  } catch (...) {
    then(Outcome<Comment>{std::current_exception(), std::nullopt});
  }
}

void Comments::edit(const domain::Viewer& actor, std::int64_t id, std::string body, bool confirmed, Then<Comment> then) {
  try {
    domain::validate_comment_body(body);
    domain::guard_patient_data("body", body, confirmed);
    write<Comment>(
        store_,
        [actor, id, body](store::WriteTx& tx) {
          auto comment = load(tx.conn, id);
          bool draft = false;
          auto idea = Ideas::visible(tx.conn, actor, comment.idea_id, &draft);
          if (comment.author.id != actor.user_id && !actor.privileged())
            throw domain::forbidden("only the author may edit a comment");
          if (comment.state == domain::CommentState::deleted) throw domain::conflict("this comment has been deleted");
          store::update_comment_body(tx.conn, id, body, now_rfc3339());
          auto updated = load(tx.conn, id);
          emit_comment(tx, "comment.updated", updated, idea, draft);
          return updated;
        },
        std::move(then));
  } catch (...) {
    then(Outcome<Comment>{std::current_exception(), std::nullopt});
  }
}

void Comments::remove(const domain::Viewer& actor, std::int64_t id, Then<bool> then) {
  write<bool>(
      store_,
      [actor, id](store::WriteTx& tx) {
        auto comment = load(tx.conn, id);
        bool draft = false;
        auto idea = Ideas::visible(tx.conn, actor, comment.idea_id, &draft);
        if (comment.author.id != actor.user_id && !actor.privileged())
          throw domain::forbidden("only the author may delete a comment");
        if (comment.state == domain::CommentState::deleted) return true;  // already gone: idempotent
        store::set_comment_state(tx.conn, id, domain::CommentState::deleted, std::nullopt);
        auto st = tx.conn.prepare("UPDATE ideas SET comment_count = comment_count - 1 WHERE id = ?");
        st->bind(1, comment.idea_id);
        st->exec();
        store::bump_challenge_counts(tx.conn, idea.challenge_id, 0, -1, 0);
        emit_comment(tx, "comment.deleted", load(tx.conn, id), idea, draft);
        return true;
      },
      std::move(then));
}

void Comments::set_hidden(store::WriteTx& tx, std::int64_t id, bool hidden, const std::string& reason) {
  auto comment = load(tx.conn, id);
  if (comment.state == domain::CommentState::deleted) return;
  store::set_comment_state(tx.conn, id, hidden ? domain::CommentState::hidden : domain::CommentState::visible,
                           hidden ? std::optional<std::string>(reason) : std::nullopt);
  auto idea = *store::find_idea(tx.conn, comment.idea_id);
  auto ch = store::find_challenge(tx.conn, idea.challenge_id);
  emit_comment(tx, "comment.updated", load(tx.conn, id), idea, ch && ch->status == domain::ChallengeStatus::draft);
}

}  // namespace cc::service
