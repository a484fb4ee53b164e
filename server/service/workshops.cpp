#include "service/workshops.hpp"

#include "common/clock.hpp"
#include "domain/error.hpp"
#include "domain/text.hpp"
#include "json/domain_json.hpp"
#include "json/fields.hpp"
#include "json/user_json.hpp"
#include "service/events.hpp"
#include "service/ideas.hpp"
#include "store/challenges_repo.hpp"
#include "store/ideas_repo.hpp"
#include "store/workshops_repo.hpp"

namespace cc::service {

using domain::IdeaStatus;
using Json = nlohmann::json;

Json workshop_json(const domain::Workshop& w) {
  return {{"id", w.id},
          {"title", w.title},
          {"description", w.description},
          {"scheduled_at", w.scheduled_at ? Json(*w.scheduled_at) : Json()},
          {"status", domain::to_string(w.status)},
          {"queue_length", w.queue_length},
          {"created_at", w.created_at},
          {"updated_at", w.updated_at}};
}

Json item_json(const domain::WorkshopItem& i, const domain::Viewer& v) {
  Json j = {{"id", i.id},
            {"workshop_id", i.workshop_id},
            {"idea_id", i.idea_id},
            {"position", i.position},
            {"state", domain::to_string(i.state)},
            {"reason", i.reason},
            {"note", i.note ? Json(*i.note) : Json()},
            {"forwarded_by", i.forwarded_by ? Json{{"id", i.forwarded_by->id}, {"display_name", i.forwarded_by->display_name}}
                                            : Json()},
            {"forwarded_at", i.forwarded_at},
            {"outcome_note", i.outcome_note ? Json(*i.outcome_note) : Json()},
            {"updated_at", i.updated_at}};
  if (i.idea) j["idea"] = cc::json::idea_json(*i.idea, v, false);
  return j;
}

namespace {

domain::Workshop load_workshop(store::Connection& c, std::int64_t id) {
  auto w = store::find_workshop(c, id);
  if (!w) throw domain::not_found("workshop");
  return *w;
}

domain::WorkshopItem with_idea(store::Connection& c, domain::WorkshopItem item) {
  item.idea = store::find_idea(c, item.idea_id);
  return item;
}

void emit_item(store::WriteTx& tx, const std::string& type, const domain::WorkshopItem& item, Json extra = Json::object()) {
  auto full = with_idea(tx.conn, item);
  Json pub = extra, priv = extra;
  pub["item"] = item_json(full, domain::Viewer::anyone());
  priv["item"] = item_json(full, domain::Viewer::design_group());
  emit(tx, type, {workshop_topic(item.workshop_id)}, pub, priv);
}

// Puts an idea in a workshop's queue unless it is there already; marks it forwarded and
// tells the people following it. Returns the item and whether it is new.
QueuedItem queue_idea(store::WriteTx& tx, const domain::Workshop& w, const domain::Idea& idea, const std::string& reason,
                      const std::optional<std::string>& note, std::int64_t actor) {
  if (auto existing = store::find_item_for_idea(tx.conn, w.id, idea.id)) return {*existing, false};
  if (idea.status == IdeaStatus::merged) throw domain::conflict("this idea has been merged; forward the idea it joined");
  auto now = now_rfc3339();
  auto id = store::insert_item(tx.conn, w.id, idea.id, reason, note, actor ? std::optional<std::int64_t>(actor) : std::nullopt, now);
  auto item = *store::find_item(tx.conn, id);
  emit_item(tx, "workshop.item_added", item);
  // Forwarding moves the idea along its pipeline, never back from an outcome.
  if (idea.status == IdeaStatus::new_ || idea.status == IdeaStatus::under_review || idea.status == IdeaStatus::shortlisted) {
    std::string text = note && !note->empty() ? *note : "Forwarded to the workshop \"" + w.title + "\"";
    Ideas::change_status(tx, idea.id, IdeaStatus::forwarded, text, actor, "idea.forwarded");
  }
  return {item, true};
}

}  // namespace

Page<domain::Workshop> Workshops::list(const std::optional<std::string>& cursor, int limit) {
  auto rows = store::list_workshops(store_.reader(), cursor_value(cursor, "b"), limit + 1);
  return page_of(std::move(rows), limit, "b", [](const domain::Workshop& w) { return w.id; });
}

WorkshopView Workshops::get(const domain::Viewer& v, std::int64_t id) {
  auto& c = store_.reader();
  store::ReadTx read(c);
  WorkshopView view{load_workshop(c, id), store::queue(c, id)};
  for (auto& item : view.queue) {
    item.idea = store::find_idea(c, item.idea_id, v.user_id);
    // Staff do not see ideas hidden by moderation, even in a queue.
    if (item.idea && item.idea->hidden && !v.privileged()) item.idea.reset();
  }
  return view;
}

void Workshops::create(const domain::Viewer& actor, domain::Workshop input, Then<domain::Workshop> then) {
  try {
    domain::validate_workshop(input);
    input.created_by = actor.user_id;
    write<domain::Workshop>(
        store_,
        [input](store::WriteTx& tx) mutable {
          input.created_at = input.updated_at = now_rfc3339();
          auto id = store::insert_workshop(tx.conn, input);
          auto w = load_workshop(tx.conn, id);
          emit(tx, "workshop.updated", {workshop_topic(id)}, {{"workshop", workshop_json(w)}});
          return w;
        },
        std::move(then));
  } catch (...) {
    then(Outcome<domain::Workshop>{std::current_exception(), std::nullopt});
  }
}

void Workshops::update(const domain::Viewer& actor, std::int64_t id, Json patch, Then<domain::Workshop> then) {
  try {
    auto title = json::optional_string(patch, "title");
    auto description = json::optional_string(patch, "description");
    std::optional<std::optional<std::string>> scheduled;
    if (patch.contains("scheduled_at")) scheduled = json::optional_string(patch, "scheduled_at");
    std::optional<domain::WorkshopStatus> status;
    if (auto s = json::optional_string(patch, "status")) {
      status = domain::parse_workshop_status(*s);
      if (!status) throw domain::validation_error("status", "status must be planned, running or done");
    }
    write<domain::Workshop>(
        store_,
        [id, title, description, scheduled, status](store::WriteTx& tx) {
          auto w = load_workshop(tx.conn, id);
          if (title) w.title = *title;
          if (description) w.description = *description;
          if (scheduled) w.scheduled_at = *scheduled;
          if (status) w.status = *status;
          domain::validate_workshop(w);
          w.updated_at = now_rfc3339();
          store::update_workshop(tx.conn, w);
          auto saved = load_workshop(tx.conn, id);
          emit(tx, "workshop.updated", {workshop_topic(id)}, {{"workshop", workshop_json(saved)}});
          return saved;
        },
        std::move(then));
  } catch (...) {
    then(Outcome<domain::Workshop>{std::current_exception(), std::nullopt});
  }
}

void Workshops::enqueue(const domain::Viewer& actor, std::int64_t workshop_id, std::int64_t idea_id,
                        std::optional<std::string> note, Then<QueuedItem> then) {
  try {
    if (note) domain::check_text("note", *note, 0, 2000, true);
    write<QueuedItem>(
        store_,
        [actor, workshop_id, idea_id, note](store::WriteTx& tx) {
          auto w = load_workshop(tx.conn, workshop_id);
          auto idea = store::find_idea(tx.conn, idea_id);
          if (!idea) throw domain::validation_error("idea_id", "idea_id names no idea");
          auto q = queue_idea(tx, w, *idea, "manual", note, actor.user_id);
          q.item = with_idea(tx.conn, q.item);
          return q;
        },
        std::move(then));
  } catch (...) {
    then(Outcome<QueuedItem>{std::current_exception(), std::nullopt});
  }
}

void Workshops::update_item(const domain::Viewer& actor, std::int64_t workshop_id, std::int64_t item_id, ItemPatch patch,
                            Then<domain::WorkshopItem> then) {
  try {
    if (patch.outcome_note) domain::check_text("outcome_note", *patch.outcome_note, 0, 5000, true);
    if (patch.idea_status) {
      if (*patch.idea_status == IdeaStatus::merged || *patch.idea_status == IdeaStatus::new_)
        throw domain::validation_error("idea_status", "idea_status must be an outcome such as adopted or not_progressed");
      if (!patch.outcome_note || domain::is_blank(*patch.outcome_note))
        throw domain::validation_error("outcome_note", "an outcome needs a note saying what was decided");
    }
    if (patch.position && *patch.position < 1) throw domain::validation_error("position", "position starts at 1");
    write<domain::WorkshopItem>(
        store_,
        [actor, workshop_id, item_id, patch](store::WriteTx& tx) {
          auto item = store::find_item(tx.conn, item_id);
          if (!item || item->workshop_id != workshop_id) throw domain::not_found("queue item");
          Json extra = Json::object();
          if (patch.position && *patch.position != item->position) {
            store::move_item(tx.conn, workshop_id, item_id, *patch.position);
            Json order = Json::array();
            for (const auto& i : store::queue(tx.conn, workshop_id)) order.push_back({{"id", i.id}, {"position", i.position}});
            extra["order"] = order;
          }
          if (patch.state) item->state = *patch.state;
          if (patch.outcome_note) item->outcome_note = *patch.outcome_note;
          if (patch.idea_status) item->state = patch.state.value_or(domain::ItemState::actioned);
          item->updated_at = now_rfc3339();
          store::update_item(tx.conn, *item);
          if (patch.idea_status) {
            // The workshop's decision flows back to the idea, its author and the crowd.
            Ideas::change_status(tx, item->idea_id, *patch.idea_status, *patch.outcome_note, actor.user_id,
                                 "workshop.outcome");
          }
          auto saved = *store::find_item(tx.conn, item_id);
          emit_item(tx, "workshop.item_updated", saved, extra);
          return with_idea(tx.conn, saved);
        },
        std::move(then));
  } catch (...) {
    then(Outcome<domain::WorkshopItem>{std::current_exception(), std::nullopt});
  }
}

ForwardResult Workshops::apply_rule(store::WriteTx& tx, const domain::Challenge& ch, std::int64_t actor) {
  ForwardResult r;
  if (!ch.forward.workshop_id || ch.forward.top_n <= 0) return r;
  auto w = store::find_workshop(tx.conn, *ch.forward.workshop_id);
  if (!w) return r;
  auto picked = domain::pick_for_forwarding(store::forwarding_candidates(tx.conn, ch.id), ch.forward.top_n, ch.forward.min_votes);
  for (auto id : picked) {
    auto idea = store::find_idea(tx.conn, id);
    auto q = queue_idea(tx, *w, *idea, "top_n", std::nullopt, actor);
    (q.created ? r.forwarded : r.already).push_back(id);
  }
  return r;
}

void Workshops::forward_challenge(const domain::Viewer& actor, std::int64_t challenge_id, Then<ForwardResult> then) {
  write<ForwardResult>(
      store_,
      [actor, challenge_id](store::WriteTx& tx) {
        auto ch = store::find_challenge(tx.conn, challenge_id);
        if (!ch) throw domain::not_found("challenge");
        if (!ch->forward.workshop_id)
          throw domain::conflict("this challenge has no workshop to forward to: set forward.workshop_id first", "forward");
        if (!store::find_workshop(tx.conn, *ch->forward.workshop_id))
          throw domain::conflict("the challenge's workshop no longer exists", "forward");
        return apply_rule(tx, *ch, actor.user_id);
      },
      std::move(then));
}

}  // namespace cc::service
