#include "service/ideas.hpp"

#include "common/clock.hpp"
#include "domain/challenge.hpp"
#include "domain/error.hpp"
#include "domain/text.hpp"
#include "domain/patient_guard.hpp"
#include "json/domain_json.hpp"
#include "service/challenges.hpp"
#include "service/events.hpp"
#include "store/challenges_repo.hpp"
#include "store/ideas_repo.hpp"
#include "store/social_repo.hpp"

namespace cc::service {

using domain::ChallengeStatus;
using domain::Idea;
using domain::IdeaStatus;
using Json = nlohmann::json;

namespace {
Idea fresh(store::Connection& c, std::int64_t id, std::int64_t viewer = 0) { return *store::find_idea(c, id, viewer); }

domain::Challenge challenge_of(store::Connection& c, const Idea& idea) { return *store::find_challenge(c, idea.challenge_id); }

Json idea_ref(const Idea& i) { return {{"idea_id", i.id}, {"challenge_id", i.challenge_id}, {"title", i.title}}; }

// Staff see no idea of a draft challenge, nor a hidden idea unless it is their own.
void require_visible(const domain::Viewer& v, ChallengeStatus status, bool hidden, std::int64_t author_id) {
  bool draft = status == ChallengeStatus::draft;
  if (!v.privileged() && (draft || (hidden && author_id != v.user_id))) throw domain::not_found("idea");
}
}  // namespace

namespace {
// The status of the idea's challenge, once `v` may see the idea; 404 otherwise. Only
// the status is read from the challenge's kept row: nothing is copied.
ChallengeStatus check_visible(store::Connection& c, const domain::Viewer& v, const Idea& idea) {
  auto status = store::find_challenge_status(c, idea.challenge_id);
  if (!status) throw domain::not_found("idea");
  require_visible(v, *status, idea.hidden, idea.author.id);
  return *status;
}
}  // namespace

Idea Ideas::visible(store::Connection& c, const domain::Viewer& v, std::int64_t id, bool* challenge_draft) {
  auto idea = store::find_idea(c, id, v.user_id);
  if (!idea) throw domain::not_found("idea");
  auto status = check_visible(c, v, *idea);
  if (challenge_draft) *challenge_draft = status == ChallengeStatus::draft;
  return std::move(*idea);
}

Page<store::ListedIdea> Ideas::list(const domain::Viewer& v, std::int64_t challenge_id, domain::IdeaSort sort,
                       std::optional<IdeaStatus> status, const std::optional<std::string>& cursor, int limit,
                       std::uint64_t own_writes) {
  auto& c = store_.reader();
  store::ReadTx read(c);
  // Counted before this read's snapshot began (it may have begun with the request): a
  // commit after that makes the count differ, so a ranking kept under it is never older
  // than the data it claims.
  const auto commits = c.commits_before_snapshot();
  Challenges::require_visible(c, v, challenge_id);
  store::IdeaListFilter f;
  f.challenge_id = challenge_id;
  f.status = status;
  f.include_hidden = v.privileged();
  // Who sees which ideas depends only on being privileged, so readers of one class share
  // snapshots; a cursor from the other class is refused.
  std::string scope = std::to_string(challenge_id) + "|" + std::to_string(static_cast<int>(sort)) + "|" +
                      (status ? std::string(domain::to_string(*status)) : "") + "|" + (v.privileged() ? "p" : "s");
  Page<store::ListedIdea> page;
  auto bad_cursor = [] { return domain::validation_error("cursor", "the cursor is not valid or has expired; start again from the first page"); };
  if (sort == domain::IdeaSort::new_) {
    auto ids = store::newest_idea_ids(c, f, cursor_value(cursor, "b"), limit + 1);
    bool more = static_cast<int>(ids.size()) > limit;
    if (more) ids.resize(static_cast<std::size_t>(limit));
    page.items = store::find_ideas(c, ids, v.user_id);
    if (more && !ids.empty()) page.next_cursor = int_cursor("b", ids.back());
    return page;
  }
  std::shared_ptr<const std::vector<std::int64_t>> ids;
  std::string key;
  std::size_t offset = 0;
  if (cursor) {
    auto j = Json::parse(decode_cursor(*cursor), nullptr, false);
    if (!j.is_object() || !j.contains("s") || !j["s"].is_string() || !j.contains("o") || !j["o"].is_number_unsigned())
      throw bad_cursor();
    key = j["s"].get<std::string>();
    offset = j["o"].get<std::size_t>();
    ids = snapshots_.get(key, scope);
    if (!ids || offset > ids->size()) throw bad_cursor();
  } else if (auto hit = snapshots_.fresh(scope, commits, own_writes)) {
    key = std::move(hit->key);
    ids = std::move(hit->ids);
  } else {
    ids = std::make_shared<const std::vector<std::int64_t>>(store_.standings().ranked(f, sort, now_seconds(), 200000));
    if (static_cast<int>(ids->size()) > limit) key = snapshots_.put(scope, ids, commits);
  }
  auto end = std::min(ids->size(), offset + static_cast<std::size_t>(limit));
  std::vector<std::int64_t> slice(ids->begin() + static_cast<long>(offset), ids->begin() + static_cast<long>(end));
  page.items = store::find_ideas(c, slice, v.user_id);
  // An idea merged or hidden since the snapshot drops out rather than reappearing.
  std::erase_if(page.items, [&](const store::ListedIdea& i) {
    return (!status && i.idea->status == IdeaStatus::merged) || (i.idea->hidden && !v.privileged());
  });
  if (end < ids->size() && !key.empty()) page.next_cursor = snapshot_cursor(key, end);
  return page;
}

IdeaView Ideas::get(const domain::Viewer& v, std::int64_t id) {
  auto& c = store_.reader();
  store::ReadTx read(c);
  // The row shared with the reader's kept ones, as a list takes it: an idea's page
  // copies neither it nor its challenge.
  auto found = store::find_ideas(c, {id}, v.user_id);
  if (found.empty()) throw domain::not_found("idea");
  const Idea& idea = *found.front().idea;
  check_visible(c, v, idea);
  IdeaView view{std::move(found.front()), store::idea_history(c, id), store::idea_workshops(c, id)};
  // An anonymous author stays anonymous in the journey too: entries they made show no name.
  if (idea.anonymous && !v.privileged())
    for (auto& h : view.history)
      if (h.by && h.by->id == idea.author.id) h.by.reset();
  return view;
}

void Ideas::create(const domain::Viewer& actor, std::int64_t challenge_id, domain::NewIdea input, bool confirmed,
                   Then<Idea> then) {
  try {
    std::optional<std::string> title = input.title, body = input.body;
    std::optional<std::vector<std::string>> tags = input.tags;
    domain::validate_idea_text(title, body, tags);
    input.tags = *tags;
    domain::guard_patient_data("title", input.title, confirmed);
    domain::guard_patient_data("body", input.body, confirmed);
    for (const auto& t : input.tags) domain::guard_patient_data("tags", t, confirmed);
    write<Idea>(
        store_,
        [actor, challenge_id, input](store::WriteTx& tx) {
          auto ch = Challenges::visible(tx.conn, actor, challenge_id);
          if (ch.status != ChallengeStatus::open) throw domain::conflict("this challenge is not open for ideas");
          auto now = now_rfc3339();
          auto id = store::insert_idea(tx.conn, challenge_id, actor.user_id, input, now_seconds(), now);
          store::add_history(tx.conn, id, "new", "", actor.user_id, now);
          store::bump_challenge_counts(tx.conn, challenge_id, 1, 0, 0);
          store::add_participant(tx.conn, challenge_id, actor.user_id, now);
          store::auto_follow(tx.conn, actor.user_id, "idea", id);
          auto idea = fresh(tx.conn, id, actor.user_id);
          emit_idea_event(tx, "idea.created", idea, false);
          return idea;
        },
        std::move(then));
  } catch (...) {
    then(Outcome<Idea>{std::current_exception(), std::nullopt});
  }
}

Idea Ideas::change_status(store::WriteTx& tx, std::int64_t idea_id, IdeaStatus status, const std::string& note,
                          std::int64_t actor, const std::string& notification_type) {
  auto before = fresh(tx.conn, idea_id);
  auto now = now_rfc3339();
  store::set_idea_status(tx.conn, idea_id, status, note,
                         status == IdeaStatus::merged ? before.merged_into_id : std::nullopt, now_seconds(), now);
  store::add_history(tx.conn, idea_id, std::string(domain::to_string(status)), note,
                     actor ? std::optional<std::int64_t>(actor) : std::nullopt, now);
  auto idea = fresh(tx.conn, idea_id);
  auto ch = challenge_of(tx.conn, idea);
  emit_idea_event(tx, "idea.status_changed", idea, ch.status == ChallengeStatus::draft,
                  {{"from", domain::to_string(before.status)}});
  Json data = idea_ref(idea);
  data["status"] = domain::to_string(status);
  data["note"] = note;
  notify(tx, idea_audience(tx.conn, idea), actor, notification_type, data);
  return idea;
}

void Ideas::update(const domain::Viewer& actor, std::int64_t id, IdeaPatch patch, Then<Idea> then) {
  try {
    bool text_change = patch.title || patch.body || patch.tags;
    bool status_change = patch.status || patch.status_note;
    if (!text_change && !status_change) throw domain::validation_error("body", "nothing to change");
    if (status_change && !actor.privileged()) throw domain::forbidden("only the design group changes an idea's status");
    if (status_change) {
      if (!patch.status) throw domain::validation_error("status", "status is required with status_note");
      if (*patch.status == IdeaStatus::merged) throw domain::validation_error("status", "use merge to merge ideas");
      if (!patch.status_note || patch.status_note->empty())
        throw domain::validation_error("status_note", "a status change needs a public note saying why");
      domain::check_text("status_note", *patch.status_note, 1, 2000, true);
    }
    domain::validate_idea_text(patch.title, patch.body, patch.tags);
    if (patch.title) domain::guard_patient_data("title", *patch.title, patch.confirm_no_patient_data);
    if (patch.body) domain::guard_patient_data("body", *patch.body, patch.confirm_no_patient_data);
    if (patch.tags)
      for (const auto& t : *patch.tags) domain::guard_patient_data("tags", t, patch.confirm_no_patient_data);
    write<Idea>(
        store_,
        [actor, id, patch, text_change](store::WriteTx& tx) {
          bool draft = false;
          auto idea = visible(tx.conn, actor, id, &draft);
          if (idea.status == IdeaStatus::merged) throw domain::conflict("this idea has been merged into another");
          if (text_change) {
            if (idea.author.id != actor.user_id) throw domain::forbidden("only the author may edit an idea");
            if (!domain::author_may_edit(idea.status))
              throw domain::conflict("an idea cannot be edited once it has been forwarded");
            // An archived challenge is a record: like its comments, its ideas no longer change.
            if (challenge_of(tx.conn, idea).status == ChallengeStatus::archived)
              throw domain::conflict("this challenge is archived");
            auto now = now_rfc3339();
            store::update_idea_text(tx.conn, id, patch.title.value_or(idea.title), patch.body.value_or(idea.body),
                                    patch.tags.value_or(idea.tags), now);
            emit_idea_event(tx, "idea.updated", fresh(tx.conn, id), draft);
          }
          if (patch.status) {
            auto type = *patch.status == IdeaStatus::forwarded ? "idea.forwarded" : "idea.status_changed";
            change_status(tx, id, *patch.status, *patch.status_note, actor.user_id, type);
          }
          return fresh(tx.conn, id, actor.user_id);
        },
        std::move(then));
  } catch (...) {
    then(Outcome<Idea>{std::current_exception(), std::nullopt});
  }
}

void Ideas::merge(const domain::Viewer& actor, std::int64_t id, std::int64_t into_id, std::optional<std::string> note,
                  Then<Idea> then) {
  write<Idea>(
      store_,
      [actor, id, into_id, note](store::WriteTx& tx) {
        if (id == into_id) throw domain::validation_error("into_id", "an idea cannot be merged into itself");
        auto from = visible(tx.conn, actor, id);
        auto into = store::find_idea(tx.conn, into_id);
        if (!into) throw domain::validation_error("into_id", "into_id names no idea");
        if (into->challenge_id != from.challenge_id)
          throw domain::validation_error("into_id", "ideas can only be merged within one challenge");
        if (from.status == IdeaStatus::merged) throw domain::conflict("this idea is already merged");
        if (into->status == IdeaStatus::merged) throw domain::conflict("the idea to merge into is itself merged");
        auto votes_before = from.up + from.down + into->up + into->down;
        store::merge_idea_contributions(tx.conn, id, into_id);
        auto after_from = fresh(tx.conn, id);
        auto after_into = fresh(tx.conn, into_id);
        auto votes_after = after_from.up + after_from.down + after_into.up + after_into.down;
        store::bump_challenge_counts(tx.conn, from.challenge_id, -1, 0, static_cast<int>(votes_after - votes_before));
        auto ch = challenge_of(tx.conn, from);
        std::string text = note.value_or("Merged into \"" + into->title + "\"");
        // The merged idea's followers now follow the survivor too.
        for (auto u : store::followers(tx.conn, "idea", id)) store::auto_follow(tx.conn, u, "idea", into_id);
        auto st = tx.conn.prepare("UPDATE ideas SET merged_into_id = ? WHERE id = ?");
        st->bind(1, into_id);
        st->bind(2, id);
        st->exec();
        auto merged = change_status(tx, id, IdeaStatus::merged, text, actor.user_id, "idea.merged");
        emit_idea_event(tx, "idea.merged", merged, ch.status == ChallengeStatus::draft, {{"into_id", into_id}});
        // Ideas merged into this one before now live on the survivor too (one level, so that
        // each can still be unmerged on its own).
        for (auto earlier : store::repoint_merged_ideas(tx.conn, id, into_id))
          emit_idea_event(tx, "idea.updated", fresh(tx.conn, earlier), ch.status == ChallengeStatus::draft);
        auto survivor = fresh(tx.conn, into_id, actor.user_id);
        emit_text(tx, "vote.changed", IdeaTopics{survivor.challenge_id, survivor.id}, cc::json::votes_text(survivor),
                  ch.status == ChallengeStatus::draft ? store::Audience::privileged : store::Audience::everyone);
        emit_idea_event(tx, "idea.updated", survivor, ch.status == ChallengeStatus::draft);
        return survivor;
      },
      std::move(then));
}

void Ideas::unmerge(const domain::Viewer& actor, std::int64_t id, Then<Idea> then) {
  write<Idea>(
      store_,
      [actor, id](store::WriteTx& tx) {
        auto idea = visible(tx.conn, actor, id);
        if (idea.status != IdeaStatus::merged || !idea.merged_into_id) throw domain::conflict("this idea is not merged");
        auto into_id = *idea.merged_into_id;
        auto into = fresh(tx.conn, into_id);
        auto votes_before = idea.up + idea.down + into.up + into.down;
        store::unmerge_idea_contributions(tx.conn, id, into_id);
        // Back to the status it had before the merge.
        IdeaStatus previous = IdeaStatus::new_;
        auto history = store::idea_history(tx.conn, id);
        for (auto it = history.rbegin(); it != history.rend(); ++it) {
          if (it->status != "merged") {
            previous = domain::parse_idea_status(it->status).value_or(IdeaStatus::new_);
            break;
          }
        }
        auto after_from = fresh(tx.conn, id);
        auto after_into = fresh(tx.conn, into_id);
        auto votes_after = after_from.up + after_from.down + after_into.up + after_into.down;
        store::bump_challenge_counts(tx.conn, idea.challenge_id, 1, 0, static_cast<int>(votes_after - votes_before));
        auto st = tx.conn.prepare("UPDATE ideas SET merged_into_id = NULL WHERE id = ?");
        st->bind(1, id);
        st->exec();
        change_status(tx, id, previous, "Separated again from \"" + into.title + "\"", actor.user_id, "idea.status_changed");
        auto ch = challenge_of(tx.conn, idea);
        bool draft = ch.status == ChallengeStatus::draft;
        auto restored = fresh(tx.conn, id, actor.user_id);
        for (const auto* i : {&restored, &after_into}) {
          auto cur = fresh(tx.conn, i->id);
          emit_text(tx, "vote.changed", IdeaTopics{cur.challenge_id, cur.id}, cc::json::votes_text(cur),
                    draft ? store::Audience::privileged : store::Audience::everyone);
          emit_idea_event(tx, "idea.updated", cur, draft);
        }
        return restored;
      },
      std::move(then));
}

void Ideas::vote(const domain::Viewer& actor, std::int64_t id, int value, Then<domain::IdeaTally> then) {
  // Votes are the busiest write and all writes share one thread, so this reads no row
  // twice and nothing it does not need: the idea's counts (with the voter's current vote)
  // and its challenge once, and the answer is the counts moved rather than read again.
  write<domain::IdeaTally>(
      store_,
      [actor, id, value](store::WriteTx& tx) {
        auto found = store::find_idea_tally(tx.conn, id, actor.user_id);
        if (!found) throw domain::not_found("idea");
        auto& idea = *found;
        auto ch = store::find_challenge_voting(tx.conn, idea.challenge_id);
        if (!ch) throw domain::not_found("idea");
        require_visible(actor, ch->status, idea.hidden, idea.author_id);
        domain::validate_vote_value(value, ch->voting.model == domain::VotingModel::updown);
        if (ch->status != ChallengeStatus::open) throw domain::conflict("voting is closed for this challenge");
        if (idea.status == IdeaStatus::merged) throw domain::conflict("this idea has been merged; vote on the idea it joined");
        const int old = idea.my_vote;
        if (old == value) return idea;  // idempotent: nothing changes, no event
        if (old == 0 && ch->voting.votes_per_user &&
            store::votes_in_challenge(tx.conn, actor.user_id, idea.challenge_id) >= *ch->voting.votes_per_user)
          throw domain::conflict("you have used all " + std::to_string(*ch->voting.votes_per_user) +
                                 " of your votes in this challenge; withdraw one to vote again");
        auto now = now_rfc3339();
        store::put_vote(tx.conn, actor.user_id, idea, old, value, now);
        // A vote changed from up to down leaves the challenge's count of votes as it was.
        if (const int counted = (value != 0) - (old != 0))
          store::bump_challenge_counts(tx.conn, idea.challenge_id, 0, 0, counted);
        // A new vote makes the voter a participant and a follower of the idea; a changed
        // one did both when it was first cast (a merge that moved it brought its
        // follows along), and an unfollow since stands.
        if (old == 0 && value != 0) {
          store::add_participant(tx.conn, idea.challenge_id, actor.user_id, now);
          store::auto_follow(tx.conn, actor.user_id, "idea", id);
        }
        const int up = (value == 1) - (old == 1), down = (value == -1) - (old == -1);  // as put_vote moves them
        idea.up += up;
        idea.down += down;
        idea.score += up - down;
        idea.my_vote = value;
        emit_text(tx, "vote.changed", IdeaTopics{idea.challenge_id, id}, cc::json::votes_text(idea),
                  ch->status == ChallengeStatus::draft || idea.hidden ? store::Audience::privileged : store::Audience::everyone);
        return idea;
      },
      std::move(then));
}

void Ideas::follow(const domain::Viewer& actor, const std::string& type, std::int64_t id, bool following, Then<bool> then) {
  write<bool>(
      store_,
      [actor, type, id, following](store::WriteTx& tx) {
        if (type == "idea") visible(tx.conn, actor, id);
        else Challenges::require_visible(tx.conn, actor, id);
        store::set_follow(tx.conn, actor.user_id, type, id, following);
        return following;
      },
      std::move(then));
}

}  // namespace cc::service
