#include "store/idea_standings.hpp"

#include <algorithm>

namespace cc::store {
namespace {

constexpr const char* kColumns = "id, challenge_id, author_id, created_ts, score, comment_count, status, hidden";

IdeaStanding standing_of(SQLite::Statement& st) {
  IdeaStanding s;
  s.id = st.getColumn(0).getInt64();
  s.challenge_id = st.getColumn(1).getInt64();
  s.author_id = st.getColumn(2).getInt64();
  s.created_ts = st.getColumn(3).getInt64();
  s.score = st.getColumn(4).getInt64();
  s.comment_count = st.getColumn(5).getInt64();
  s.status = domain::parse_idea_status(st.getColumn(6).getString()).value_or(domain::IdeaStatus::new_);
  s.hidden = st.getColumn(7).getInt() != 0;
  return s;
}

// Runs `read` in one read transaction on `c` (no ReadTx: a loader's or the writer's
// snapshot must not be parked), ended whether or not it throws.
template <typename Read>
void in_one_read(Connection& c, Read&& read) {
  c.exec("BEGIN");
  try {
    read();
  } catch (...) {
    try { c.exec("COMMIT"); } catch (...) {}
    throw;
  }
  c.exec("COMMIT");
}

bool passes(const IdeaStanding& s, const IdeaListFilter& f) {
  if (f.status ? s.status != *f.status : s.status == domain::IdeaStatus::merged) return false;
  if (s.hidden && !f.include_hidden) return false;
  return !f.author_id || s.author_id == *f.author_id;
}

struct Keyed {
  std::int64_t key;
  std::int64_t id;
};

// Sorts `rows` by key, highest first, keeping the order of equal keys. Scores and comment
// counts span a small range, so a counting sort does it in two passes.
void sort_by_key_kept_stable(std::vector<Keyed>& rows) {
  if (rows.empty()) return;
  auto [low, high] =
      std::minmax_element(rows.begin(), rows.end(), [](const Keyed& a, const Keyed& b) { return a.key < b.key; });
  const std::int64_t lo = low->key, hi = high->key;
  const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
  if (span > 4 * rows.size() + 4096) {
    std::stable_sort(rows.begin(), rows.end(), [](const Keyed& a, const Keyed& b) { return a.key > b.key; });
    return;
  }
  // Bucket 0 holds the highest key.
  std::vector<std::size_t> next(span + 2, 0);
  for (const auto& r : rows) ++next[static_cast<std::size_t>(hi - r.key) + 1];
  for (std::size_t b = 1; b < next.size(); ++b) next[b] += next[b - 1];
  std::vector<Keyed> sorted(rows.size());
  for (const auto& r : rows) sorted[next[static_cast<std::size_t>(hi - r.key)]++] = r;
  rows.swap(sorted);
}

struct Valued {
  double value;
  std::int64_t id;
};

// A ranking in two steps: the keys of the rows that pass, taken newest first (while the
// rows are locked), then sorted, equal ones staying newest first.
struct Ranking {
  std::vector<Keyed> keyed;    // top, discussed
  std::vector<Valued> valued;  // trending
};

Ranking collect(const std::vector<IdeaStanding>& rows, const IdeaListFilter& f, domain::IdeaSort sort,
                std::int64_t now_ts) {
  Ranking r;
  if (sort == domain::IdeaSort::trending) {
    for (auto it = rows.rbegin(); it != rows.rend(); ++it)
      if (passes(*it, f)) r.valued.push_back({domain::trending_value(it->score, it->created_ts, now_ts), it->id});
    return r;
  }
  r.keyed.reserve(rows.size());
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
    if (!passes(*it, f)) continue;
    const std::int64_t key =
        sort == domain::IdeaSort::top ? it->score : sort == domain::IdeaSort::discussed ? it->comment_count : 0;
    r.keyed.push_back({key, it->id});
  }
  return r;
}

std::vector<std::int64_t> finish(Ranking& r, std::size_t max) {
  std::vector<std::int64_t> ids;
  if (!r.valued.empty()) {
    std::stable_sort(r.valued.begin(), r.valued.end(),
                     [](const Valued& a, const Valued& b) { return a.value > b.value; });
    for (std::size_t k = 0; k < r.valued.size() && k < max; ++k) ids.push_back(r.valued[k].id);
    return ids;
  }
  sort_by_key_kept_stable(r.keyed);
  for (std::size_t k = 0; k < r.keyed.size() && k < max; ++k) ids.push_back(r.keyed[k].id);
  return ids;
}

}  // namespace

std::vector<IdeaStanding> read_standings(Connection& c, std::int64_t challenge_id) {
  auto st = c.prepare(std::string("SELECT ") + kColumns + " FROM ideas WHERE challenge_id = ? ORDER BY id");
  st->bind(1, challenge_id);
  std::vector<IdeaStanding> rows;
  while (st->executeStep()) rows.push_back(standing_of(*st));
  return rows;
}

std::vector<std::int64_t> rank_standings(const std::vector<IdeaStanding>& standings, const IdeaListFilter& f,
                                         domain::IdeaSort sort, std::int64_t now_ts, std::size_t max) {
  auto r = collect(standings, f, sort, now_ts);
  return finish(r, max);
}

IdeaStandings::IdeaStandings(std::string path, int busy_timeout_ms)
    : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}

IdeaStandings::~IdeaStandings() = default;

std::vector<std::int64_t> IdeaStandings::ranked(const IdeaListFilter& f, domain::IdeaSort sort, std::int64_t now_ts,
                                                std::size_t max) {
  std::shared_ptr<Challenge> held;
  {
    std::unique_lock lock(mutex_);
    auto& slot = challenges_[f.challenge_id];
    if (slot && !slot->loading) {
      auto r = collect(slot->rows, f, sort, now_ts);
      lock.unlock();
      return finish(r, max);
    }
    if (!slot) slot = std::make_shared<Challenge>();
    held = slot;
  }
  // Loaded on a connection of the standings' own, whose snapshot begins after the
  // challenge was entered above: every commit is either in what it reads or held aside
  // for it in while_loading. Two threads may load one challenge at once; the first to
  // finish installs it, and the other ranks what it installed (which changes since).
  std::vector<IdeaStanding> rows;
  auto loader = take_loader();
  try {
    in_one_read(*loader, [&] { rows = read_standings(*loader, f.challenge_id); });
  } catch (...) {
    give_back(std::move(loader));
    std::lock_guard lock(mutex_);
    auto it = challenges_.find(f.challenge_id);
    if (it != challenges_.end() && it->second == held && held->loading) challenges_.erase(it);
    throw;
  }
  give_back(std::move(loader));
  std::unique_lock lock(mutex_);
  if (held->loading) {
    for (const auto& change : held->while_loading) put(rows, change);
    held->while_loading = {};
    held->rows = std::move(rows);
    held->loading = false;
  }
  auto r = collect(held->rows, f, sort, now_ts);
  lock.unlock();
  return finish(r, max);
}

std::unique_ptr<Connection> IdeaStandings::take_loader() {
  {
    std::lock_guard lock(mutex_);
    if (!loaders_.empty()) {
      auto loader = std::move(loaders_.back());
      loaders_.pop_back();
      return loader;
    }
  }
  auto loader = std::make_unique<Connection>(path_, Access::read_only, busy_timeout_ms_);
  // Without the readers' memory map: a loader goes over a challenge's rows once and then
  // sits idle, and its map would keep every page it touched in the server's RSS (the
  // ideas' rows of every challenge listed, 350 MiB on the benchmark's data).
  loader->exec("PRAGMA mmap_size = 0");
  return loader;
}

void IdeaStandings::give_back(std::unique_ptr<Connection> loader) {
  std::lock_guard lock(mutex_);
  loaders_.push_back(std::move(loader));
}

void IdeaStandings::put(std::vector<IdeaStanding>& rows, const Change& change) {
  auto at = std::lower_bound(rows.begin(), rows.end(), change.id,
                             [](const IdeaStanding& s, std::int64_t id) { return s.id < id; });
  const bool found = at != rows.end() && at->id == change.id;
  if (!change.standing) {
    if (found) rows.erase(at);
  } else if (found) {
    *at = *change.standing;
  } else {
    rows.insert(at, *change.standing);
  }
}

void IdeaStandings::apply(Connection& writer, std::vector<std::int64_t>& touched) {
  if (touched.empty()) return;
  {
    // Nothing held: no one can miss these changes, as a challenge loaded from now on
    // reads them. (A challenge entered after this check loads from a snapshot that
    // begins after it, so after the commit.)
    std::lock_guard lock(mutex_);
    if (challenges_.empty()) {
      touched.clear();
      return;
    }
  }
  std::sort(touched.begin(), touched.end());
  touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
  std::vector<Change> changes;
  changes.reserve(touched.size());
  // In one read transaction: a statement on its own begins and ends one, each taking and
  // releasing a lock of the WAL's index (system calls), a cost per vote.
  in_one_read(writer, [&] {
    auto st = writer.prepare(std::string("SELECT ") + kColumns + " FROM ideas WHERE id = ?");
    for (auto id : touched) {
      st->bind(1, id);
      if (st->executeStep()) changes.push_back({id, standing_of(*st)});
      else changes.push_back({id, std::nullopt});
      st->reset();
    }
  });
  touched.clear();
  std::lock_guard lock(mutex_);
  for (const auto& change : changes) {
    if (change.standing) {
      auto it = challenges_.find(change.standing->challenge_id);
      if (it == challenges_.end()) continue;
      if (it->second->loading) it->second->while_loading.push_back(change);
      else put(it->second->rows, change);
    } else {
      // Gone (deleted, or its insert rolled back): from whichever challenge held it.
      for (auto& [id, challenge] : challenges_) {
        if (challenge->loading) challenge->while_loading.push_back(change);
        else put(challenge->rows, change);
      }
    }
  }
}

void IdeaStandings::forget_all() {
  std::lock_guard lock(mutex_);
  // A load under way installs into its own entry, no longer held here, and that one
  // ranking is the last made from it.
  challenges_.clear();
  ++forgotten_;
}

std::size_t IdeaStandings::challenges() const {
  std::lock_guard lock(mutex_);
  return challenges_.size();
}

std::uint64_t IdeaStandings::forgotten() const {
  std::lock_guard lock(mutex_);
  return forgotten_;
}

}  // namespace cc::store
