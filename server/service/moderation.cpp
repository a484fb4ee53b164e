#include "service/moderation.hpp"

#include "common/clock.hpp"
#include "domain/error.hpp"
#include "domain/text.hpp"
#include "service/comments.hpp"
#include "service/events.hpp"
#include "service/ideas.hpp"
#include "store/challenges_repo.hpp"
#include "store/comments_repo.hpp"
#include "store/ideas_repo.hpp"

namespace cc::service {

using Json = nlohmann::json;

Json flag_json(const store::FlagRow& f) {
  auto opt = [](const auto& o) { return o ? Json(*o) : Json(); };
  Json j = {{"id", f.id},           {"target", f.target_type}, {"target_id", f.target_id}, {"reason", f.reason},
          {"reporter_id", f.reporter_id}, {"state", f.state},   {"action", opt(f.action)},   {"note", opt(f.note)},
          {"resolved_by", opt(f.resolved_by)}, {"created_at", f.created_at}, {"resolved_at", opt(f.resolved_at)}};
  // Where to look: the idea itself, or the idea a flagged comment is on.
  j["idea_id"] = f.idea_id ? Json(f.idea_id) : Json();
  return j;
}

void Moderation::flag(const domain::Viewer& actor, const std::string& target, std::int64_t id, std::string reason,
                      Then<store::FlagRow> then) {
  try {
    if (target != "idea" && target != "comment") throw domain::validation_error("target", "target must be idea or comment");
    domain::check_text("reason", reason, 1, 1000, true);
    write<store::FlagRow>(
        store_,
        [actor, target, id, reason](store::WriteTx& tx) {
          if (target == "idea") {
            Ideas::visible(tx.conn, actor, id);
          } else {
            auto c = store::find_comment(tx.conn, id);
            if (!c) throw domain::not_found("comment");
            Ideas::visible(tx.conn, actor, c->idea_id);
          }
          auto fid = store::insert_flag(tx.conn, target, id, reason, actor.user_id, now_rfc3339());
          return *store::find_flag(tx.conn, fid);
        },
        std::move(then));
  } catch (...) {
    then(Outcome<store::FlagRow>{std::current_exception(), std::nullopt});
  }
}

Page<store::FlagRow> Moderation::list(const std::optional<std::string>& state, const std::optional<std::string>& cursor,
                                      int limit) {
  if (state && *state != "open" && *state != "resolved")
    throw domain::validation_error("state", "state must be open or resolved");
  auto rows = store::list_flags(store_.reader(), state, cursor_value(cursor, "a"), limit + 1);
  return page_of(std::move(rows), limit, "a", [](const store::FlagRow& f) { return f.id; });
}

void Moderation::resolve(const domain::Viewer& actor, std::int64_t flag_id, const std::string& state,
                         const std::string& action, std::string note, Then<store::FlagRow> then) {
  try {
    if (state != "resolved") throw domain::validation_error("state", "state must be resolved");
    if (action != "hide" && action != "none") throw domain::validation_error("action", "action must be hide or none");
    domain::check_text("note", note, 0, 2000, true);
    write<store::FlagRow>(
        store_,
        [actor, flag_id, action, note](store::WriteTx& tx) {
          auto f = store::find_flag(tx.conn, flag_id);
          if (!f) throw domain::not_found("flag");
          if (f->state == "resolved") throw domain::conflict("this flag is already resolved");
          if (action == "hide") {
            auto reason = note.empty() ? f->reason : note;
            if (f->target_type == "idea") {
              store::set_idea_hidden(tx.conn, f->target_id, true, reason);
              auto idea = store::find_idea(tx.conn, f->target_id);
              if (idea) {
                auto ch = store::find_challenge(tx.conn, idea->challenge_id);
                // Staff drop it from their view; the design group still sees it, marked hidden.
                emit(tx, "idea.updated", IdeaTopics{idea->challenge_id, idea->id},
                     {{"idea_id", idea->id}, {"hidden", true}}, std::nullopt,
                     ch && ch->status == domain::ChallengeStatus::draft ? store::Audience::privileged
                                                                        : store::Audience::everyone);
              }
            } else {
              Comments::set_hidden(tx, f->target_id, true, reason);
            }
          }
          store::resolve_flag(tx.conn, flag_id, action, note, actor.user_id, now_rfc3339());
          return *store::find_flag(tx.conn, flag_id);
        },
        std::move(then));
  } catch (...) {
    then(Outcome<store::FlagRow>{std::current_exception(), std::nullopt});
  }
}

}  // namespace cc::service
