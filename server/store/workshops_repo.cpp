#include "store/workshops_repo.hpp"

namespace cc::store {
namespace {
const char* kWorkshopColumns =
    "w.id, w.title, w.description, w.scheduled_at, w.status, w.created_by, w.created_at, w.updated_at, "
    "(SELECT count(*) FROM workshop_items wi WHERE wi.workshop_id = w.id)";

domain::Workshop read_workshop(SQLite::Statement& st) {
  domain::Workshop w;
  w.id = st.getColumn(0).getInt64();
  w.title = st.getColumn(1).getString();
  w.description = st.getColumn(2).getString();
  if (!st.getColumn(3).isNull()) w.scheduled_at = st.getColumn(3).getString();
  w.status = domain::parse_workshop_status(st.getColumn(4).getString()).value_or(domain::WorkshopStatus::planned);
  w.created_by = st.getColumn(5).isNull() ? 0 : st.getColumn(5).getInt64();
  w.created_at = st.getColumn(6).getString();
  w.updated_at = st.getColumn(7).getString();
  w.queue_length = st.getColumn(8).getInt64();
  return w;
}

const char* kItemColumns =
    "wi.id, wi.workshop_id, wi.idea_id, wi.position, wi.state, wi.reason, wi.note, wi.forwarded_by, u.display_name, "
    "u.profession, wi.forwarded_at, wi.outcome_note, wi.updated_at";

domain::WorkshopItem read_item(SQLite::Statement& st) {
  domain::WorkshopItem i;
  i.id = st.getColumn(0).getInt64();
  i.workshop_id = st.getColumn(1).getInt64();
  i.idea_id = st.getColumn(2).getInt64();
  i.position = st.getColumn(3).getInt();
  i.state = domain::parse_item_state(st.getColumn(4).getString()).value_or(domain::ItemState::queued);
  i.reason = st.getColumn(5).getString();
  if (!st.getColumn(6).isNull()) i.note = st.getColumn(6).getString();
  if (!st.getColumn(7).isNull())
    i.forwarded_by = domain::Author{st.getColumn(7).getInt64(), st.getColumn(8).getString(), st.getColumn(9).getString()};
  i.forwarded_at = st.getColumn(10).getString();
  if (!st.getColumn(11).isNull()) i.outcome_note = st.getColumn(11).getString();
  i.updated_at = st.getColumn(12).getString();
  return i;
}

std::string item_select() {
  return std::string("SELECT ") + kItemColumns + " FROM workshop_items wi LEFT JOIN users u ON u.id = wi.forwarded_by ";
}
}  // namespace

std::optional<domain::Workshop> find_workshop(Connection& c, std::int64_t id) {
  auto st = c.prepare(std::string("SELECT ") + kWorkshopColumns + " FROM workshops w WHERE w.id = ?");
  st->bind(1, id);
  if (!st->executeStep()) return std::nullopt;
  return read_workshop(*st);
}

std::vector<domain::Workshop> list_workshops(Connection& c, std::int64_t before_id, int limit) {
  auto st = c.prepare(std::string("SELECT ") + kWorkshopColumns + " FROM workshops w WHERE w.id < ? ORDER BY w.id DESC LIMIT ?");
  st->bind(1, before_id > 0 ? before_id : INT64_MAX);
  st->bind(2, limit);
  std::vector<domain::Workshop> out;
  while (st->executeStep()) out.push_back(read_workshop(*st));
  return out;
}

std::int64_t insert_workshop(Connection& c, const domain::Workshop& w) {
  auto st = c.prepare("INSERT INTO workshops(title, description, scheduled_at, status, created_by, created_at, updated_at) "
                      "VALUES (?,?,?,?,?,?,?)");
  st->bind(1, w.title);
  st->bind(2, w.description);
  if (w.scheduled_at) st->bind(3, *w.scheduled_at); else st->bind(3);
  st->bind(4, std::string(domain::to_string(w.status)));
  if (w.created_by) st->bind(5, w.created_by); else st->bind(5);
  st->bind(6, w.created_at);
  st->bind(7, w.updated_at);
  st->exec();
  return c.last_insert_id();
}

void update_workshop(Connection& c, const domain::Workshop& w) {
  auto st = c.prepare("UPDATE workshops SET title = ?, description = ?, scheduled_at = ?, status = ?, updated_at = ? WHERE id = ?");
  st->bind(1, w.title);
  st->bind(2, w.description);
  if (w.scheduled_at) st->bind(3, *w.scheduled_at); else st->bind(3);
  st->bind(4, std::string(domain::to_string(w.status)));
  st->bind(5, w.updated_at);
  st->bind(6, w.id);
  st->exec();
}

std::optional<domain::WorkshopItem> find_item(Connection& c, std::int64_t item_id) {
  auto st = c.prepare(item_select() + "WHERE wi.id = ?");
  st->bind(1, item_id);
  if (!st->executeStep()) return std::nullopt;
  return read_item(*st);
}

std::optional<domain::WorkshopItem> find_item_for_idea(Connection& c, std::int64_t workshop_id, std::int64_t idea_id) {
  auto st = c.prepare(item_select() + "WHERE wi.workshop_id = ? AND wi.idea_id = ?");
  st->bind(1, workshop_id);
  st->bind(2, idea_id);
  if (!st->executeStep()) return std::nullopt;
  return read_item(*st);
}

std::vector<domain::WorkshopItem> queue(Connection& c, std::int64_t workshop_id) {
  auto st = c.prepare(item_select() + "WHERE wi.workshop_id = ? ORDER BY wi.position, wi.id");
  st->bind(1, workshop_id);
  std::vector<domain::WorkshopItem> out;
  while (st->executeStep()) out.push_back(read_item(*st));
  return out;
}

std::int64_t insert_item(Connection& c, std::int64_t workshop_id, std::int64_t idea_id, const std::string& reason,
                         const std::optional<std::string>& note, std::optional<std::int64_t> by, const std::string& now) {
  auto st = c.prepare(
      "INSERT INTO workshop_items(workshop_id, idea_id, position, state, reason, note, forwarded_by, forwarded_at, updated_at) "
      "VALUES (?1, ?2, (SELECT coalesce(max(position), 0) + 1 FROM workshop_items WHERE workshop_id = ?1), 'queued', "
      "?3, ?4, ?5, ?6, ?6)");
  st->bind(1, workshop_id);
  st->bind(2, idea_id);
  st->bind(3, reason);
  if (note) st->bind(4, *note); else st->bind(4);
  if (by) st->bind(5, *by); else st->bind(5);
  st->bind(6, now);
  st->exec();
  return c.last_insert_id();
}

void update_item(Connection& c, const domain::WorkshopItem& i) {
  auto st = c.prepare("UPDATE workshop_items SET state = ?, outcome_note = ?, updated_at = ? WHERE id = ?");
  st->bind(1, std::string(domain::to_string(i.state)));
  if (i.outcome_note) st->bind(2, *i.outcome_note); else st->bind(2);
  st->bind(3, i.updated_at);
  st->bind(4, i.id);
  st->exec();
}

void move_item(Connection& c, std::int64_t workshop_id, std::int64_t item_id, int position) {
  auto items = queue(c, workshop_id);
  auto it = std::find_if(items.begin(), items.end(), [&](const domain::WorkshopItem& i) { return i.id == item_id; });
  if (it == items.end()) return;
  auto moving = *it;
  items.erase(it);
  std::size_t index = static_cast<std::size_t>(std::clamp(position, 1, static_cast<int>(items.size()) + 1) - 1);
  items.insert(items.begin() + static_cast<long>(index), moving);
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (items[k].position == static_cast<int>(k + 1)) continue;
    auto st = c.prepare("UPDATE workshop_items SET position = ? WHERE id = ?");
    st->bind(1, static_cast<int>(k + 1));
    st->bind(2, items[k].id);
    st->exec();
  }
}

std::vector<domain::RankedIdea> forwarding_candidates(Connection& c, std::int64_t challenge_id) {
  auto st = c.prepare("SELECT id, score, created_ts FROM ideas WHERE challenge_id = ? AND status <> 'merged' AND hidden = 0");
  st->bind(1, challenge_id);
  std::vector<domain::RankedIdea> out;
  while (st->executeStep())
    out.push_back({st->getColumn(0).getInt64(), st->getColumn(1).getInt64(), st->getColumn(2).getInt64()});
  return out;
}

}  // namespace cc::store
