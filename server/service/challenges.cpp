#include "service/challenges.hpp"

#include "common/clock.hpp"
#include "common/log.hpp"
#include "domain/error.hpp"
#include "json/domain_json.hpp"
#include "service/events.hpp"
#include "store/challenges_repo.hpp"
#include "store/ideas_repo.hpp"

namespace cc::service {

using domain::Challenge;
using domain::ChallengeStatus;
using nlohmann::json;

Challenge Challenges::visible(store::Connection& c, const domain::Viewer& v, std::int64_t id) {
  auto ch = store::find_challenge(c, id);
  if (!ch || (ch->status == ChallengeStatus::draft && !v.privileged())) throw domain::not_found("challenge");
  return *ch;
}

void Challenges::require_visible(store::Connection& c, const domain::Viewer& v, std::int64_t id) {
  auto status = store::find_challenge_status(c, id);
  if (!status || (*status == ChallengeStatus::draft && !v.privileged())) throw domain::not_found("challenge");
}

Page<Challenge> Challenges::list(const domain::Viewer& v, std::optional<ChallengeStatus> status,
                                 std::optional<std::int64_t> principle, const std::optional<std::string>& cursor,
                                 int limit) {
  store::ChallengeFilter f;
  f.status = status;
  f.principle_id = principle;
  f.include_drafts = v.privileged();
  f.limit = limit + 1;
  f.before_id = cursor_value(cursor, "b");
  return page_of(store::list_challenges(store_.reader(), f), limit, "b", [](const Challenge& c) { return c.id; });
}

Challenge Challenges::get(const domain::Viewer& v, std::int64_t id) { return visible(store_.reader(), v, id); }

namespace {
void check_references(store::Connection& c, const Challenge& ch) {
  if (ch.forward.workshop_id) {
    auto st = c.prepare("SELECT 1 FROM workshops WHERE id = ?");
    st->bind(1, *ch.forward.workshop_id);
    if (!st->executeStep()) throw domain::validation_error("forward", "forward.workshop_id names no workshop");
  }
  if (ch.parent_idea_id && !store::find_idea(c, *ch.parent_idea_id))
    throw domain::validation_error("parent_idea_id", "parent_idea_id names no idea");
}

json challenge_event(const Challenge& c) { return {{"challenge", cc::json::challenge_json(c)}}; }
}  // namespace

Challenge Challenges::insert(store::WriteTx& tx, Challenge ch) {
  ch.created_at = ch.updated_at = now_rfc3339();
  ch.id = store::insert_challenge(tx.conn, ch);
  auto saved = *store::find_challenge(tx.conn, ch.id);
  emit(tx, "challenge.created", {kChallengesTopic, challenge_topic(saved.id)}, challenge_event(saved), std::nullopt,
       saved.status == ChallengeStatus::draft ? store::Audience::privileged : store::Audience::everyone);
  return saved;
}

void Challenges::apply_status(store::WriteTx& tx, Challenge& before, Challenge& after, std::int64_t actor) {
  if (before.status == after.status) return;
  if (!domain::can_move(before.status, after.status))
    throw domain::conflict("a challenge cannot go from " + std::string(domain::to_string(before.status)) + " to " +
                               std::string(domain::to_string(after.status)),
                           "status");
  if (after.status == ChallengeStatus::closed && close_hook_) close_hook_(tx, after, actor);
}

void Challenges::create(const domain::Viewer& actor, domain::ChallengePatch input, Then<Challenge> then) {
  try {
    Challenge ch;
    ch.status = ChallengeStatus::draft;
    // Defaults for rules the request leaves out come from the admins' settings.
    ch.voting = settings_.voting_default();
    ch.forward = settings_.forward_default();
    if (!input.title) throw domain::validation_error("title", "title is required");
    if (!input.principle_ids) throw domain::validation_error("principle_ids", "principle_ids is required");
    if (input.status && *input.status != ChallengeStatus::draft && *input.status != ChallengeStatus::open)
      throw domain::validation_error("status", "a new challenge starts as draft or open");
    if (input.status) ch.status = *input.status;
    domain::apply_and_validate(ch, input);
    ch.created_by = actor.user_id;
    write<Challenge>(
        store_,
        [ch](store::WriteTx& tx) mutable {
          check_references(tx.conn, ch);
          return insert(tx, ch);
        },
        std::move(then));
  } catch (...) {
    then(Outcome<Challenge>{std::current_exception(), std::nullopt});
  }
}

void Challenges::update(const domain::Viewer& actor, std::int64_t id, domain::ChallengePatch patch, Then<Challenge> then) {
  write<Challenge>(
      store_,
      [this, actor, id, patch](store::WriteTx& tx) {
        auto before = store::find_challenge(tx.conn, id);
        if (!before) throw domain::not_found("challenge");
        Challenge after = *before;
        domain::apply_and_validate(after, patch);
        if (patch.status) after.status = *patch.status;
        check_references(tx.conn, after);
        after.updated_at = now_rfc3339();
        store::update_challenge(tx.conn, after);
        apply_status(tx, *before, after, actor.user_id);
        auto saved = *store::find_challenge(tx.conn, id);
        emit(tx, "challenge.updated", {kChallengesTopic, challenge_topic(id)}, challenge_event(saved), std::nullopt,
             saved.status == ChallengeStatus::draft ? store::Audience::privileged : store::Audience::everyone);
        return saved;
      },
      std::move(then));
}

void Challenges::run_schedule() {
  auto now = now_rfc3339();
  auto& r = store_.reader();
  auto to_open = store::challenges_due_to_open(r, now);
  auto to_close = store::challenges_due_to_close(r, now);
  auto move = [this](std::int64_t id, ChallengeStatus from, ChallengeStatus to) {
    store_.write(
        [this, id, from, to](store::WriteTx& tx) {
          auto before = store::find_challenge(tx.conn, id);
          if (!before || before->status != from) return;  // someone changed it meanwhile
          Challenge after = *before;
          after.status = to;
          after.updated_at = now_rfc3339();
          store::update_challenge(tx.conn, after);
          apply_status(tx, *before, after, 0);
          auto saved = *store::find_challenge(tx.conn, id);
          emit(tx, "challenge.updated", {kChallengesTopic, challenge_topic(id)}, challenge_event(saved));
        },
        [id](std::exception_ptr e) {
          if (!e) log::info("event=challenge_scheduled_move challenge=" + std::to_string(id));
        });
  };
  for (auto id : to_open) move(id, ChallengeStatus::draft, ChallengeStatus::open);
  for (auto id : to_close) move(id, ChallengeStatus::open, ChallengeStatus::closed);
}

}  // namespace cc::service
