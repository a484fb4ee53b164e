#pragma once
// Workshops and their queues: forwarding ideas by hand or by a challenge's rule (on
// request and when the challenge closes), reordering, and outcomes that flow back to
// the idea, its author and the crowd (SPEC §3 Workshop, Forwarding).
#include <nlohmann/json.hpp>

#include "domain/challenge.hpp"
#include "domain/viewer.hpp"
#include "domain/workshop.hpp"
#include "service/outcome.hpp"
#include "service/page.hpp"

namespace cc::service {

struct WorkshopView {
  domain::Workshop workshop;
  std::vector<domain::WorkshopItem> queue;
};

struct ItemPatch {
  std::optional<int> position;
  std::optional<domain::ItemState> state;
  std::optional<std::string> outcome_note;
  std::optional<domain::IdeaStatus> idea_status;
};

struct QueuedItem {
  domain::WorkshopItem item;
  bool created = false;  // false: the idea was already in the queue
};

struct ForwardResult {
  std::vector<std::int64_t> forwarded;
  std::vector<std::int64_t> already;
};

class Workshops {
public:
  explicit Workshops(store::Store& store) : store_(store) {}

  Page<domain::Workshop> list(const std::optional<std::string>& cursor, int limit);
  WorkshopView get(const domain::Viewer& v, std::int64_t id);
  void create(const domain::Viewer& actor, domain::Workshop input, Then<domain::Workshop> then);
  void update(const domain::Viewer& actor, std::int64_t id, nlohmann::json patch, Then<domain::Workshop> then);
  void enqueue(const domain::Viewer& actor, std::int64_t workshop_id, std::int64_t idea_id,
               std::optional<std::string> note, Then<QueuedItem> then);
  void update_item(const domain::Viewer& actor, std::int64_t workshop_id, std::int64_t item_id, ItemPatch patch,
                   Then<domain::WorkshopItem> then);
  void forward_challenge(const domain::Viewer& actor, std::int64_t challenge_id, Then<ForwardResult> then);

  // Inside a transaction: applies a challenge's forwarding rule (used when it closes).
  static ForwardResult apply_rule(store::WriteTx& tx, const domain::Challenge& ch, std::int64_t actor);

private:
  store::Store& store_;
};

nlohmann::json workshop_json(const domain::Workshop& w);
nlohmann::json item_json(const domain::WorkshopItem& i, const domain::Viewer& v);

}  // namespace cc::service
