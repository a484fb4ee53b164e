#pragma once
// What ranks a challenge's ideas (score, comment count, age, status, visibility), kept in
// memory for each challenge that has been listed, so that a ranked list never reads it
// from the database and no index has to hold it (sql/0011).
//
// Why: a vote changes its idea's score. With the score in the list index, every vote
// rewrote that index's page as well as the idea's row and the vote's: 0.88 of the 2.79
// WAL pages a vote wrote on the benchmark's data, and a third of what the checkpointer
// copied. Reading the scores from the ideas' rows instead cost 5-10 ms a ranking.
//
// How it stays current: the writer's connection reports every row of `ideas` a batch
// touched (SQLite's update hook: merges, moderation, comments and status changes alike,
// with no write path having to remember it), and after the batch commits, and before the
// store counts the commit, the writer reads those rows back and applies them here. So a
// ranking made once the store's commit count reached k holds every batch up to k, and a
// person whose write was answered finds it in the next ranking.
//
// A challenge is loaded on its first ranking, on a read-only connection of the standings'
// own. Changes that commit while it loads are held aside and applied over what it read,
// in commit order.
// Writes by another process (the admin CLI) are not reported: the writer notices them by
// `PRAGMA data_version` and everything loaded is dropped, to be loaded again when next
// listed (Store::run).
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/idea.hpp"
#include "domain/ranking.hpp"
#include "store/connection.hpp"

namespace cc::store {

struct IdeaListFilter {
  std::int64_t challenge_id = 0;
  std::optional<domain::IdeaStatus> status;  // nullopt: every status but merged
  bool include_hidden = false;
  std::optional<std::int64_t> author_id;
};

// One idea as rankings see it.
struct IdeaStanding {
  std::int64_t id = 0;
  std::int64_t challenge_id = 0;
  std::int64_t author_id = 0;
  std::int64_t created_ts = 0;
  std::int64_t score = 0;
  std::int64_t comment_count = 0;
  domain::IdeaStatus status = domain::IdeaStatus::new_;
  bool hidden = false;
};

// The standings of a challenge's ideas, by id (ascending), read at `c`'s snapshot.
std::vector<IdeaStanding> read_standings(Connection& c, std::int64_t challenge_id);
// The ids of the standings that pass `f` (its challenge is not checked), in ranking
// order: by the sort's key, highest first, and newest first among equals. `sort` is top,
// trending or discussed (new pages by id: newest_idea_ids).
std::vector<std::int64_t> rank_standings(const std::vector<IdeaStanding>& standings, const IdeaListFilter& f,
                                         domain::IdeaSort sort, std::int64_t now_ts, std::size_t max);

class IdeaStandings {
public:
  // Loads challenges from the database at `path`, through read-only connections of its own.
  IdeaStandings(std::string path, int busy_timeout_ms);
  ~IdeaStandings();
  IdeaStandings(const IdeaStandings&) = delete;
  IdeaStandings& operator=(const IdeaStandings&) = delete;

  // The ranked ids of `f`'s challenge (as rank_standings), loading the challenge first
  // when it is not held. Its rows may be a moment newer than the caller's snapshot.
  std::vector<std::int64_t> ranked(const IdeaListFilter& f, domain::IdeaSort sort, std::int64_t now_ts,
                                   std::size_t max);

  // On the writer's thread, after a commit: reads the ideas `touched` (any order, repeats
  // allowed) back through the writer's connection and applies them. Cheap when nothing
  // is loaded (the admin CLI, a server no one has listed ideas on yet).
  void apply(Connection& writer, std::vector<std::int64_t>& touched);
  // Another process wrote: forgets every challenge, each loaded again when next listed.
  void forget_all();

  // How many challenges are held (loaded or loading), and how many times everything was
  // forgotten: for tests and the metrics.
  std::size_t challenges() const;
  std::uint64_t forgotten() const;

private:
  // A change read back after a commit: the idea's standing, or none if it is gone.
  struct Change {
    std::int64_t id;
    std::optional<IdeaStanding> standing;
  };
  struct Challenge {
    std::vector<IdeaStanding> rows;  // by id
    bool loading = true;
    std::vector<Change> while_loading;  // in commit order
  };
  static void put(std::vector<IdeaStanding>& rows, const Change& change);
  // A read-only connection for one load (as many as load at once are kept). A loader
  // moves between threads, one at a time, handed over under mutex_.
  std::unique_ptr<Connection> take_loader();
  void give_back(std::unique_ptr<Connection> loader);

  const std::string path_;
  const int busy_timeout_ms_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Connection>> loaders_;  // idle
  std::unordered_map<std::int64_t, std::shared_ptr<Challenge>> challenges_;
  std::uint64_t forgotten_ = 0;
};

}  // namespace cc::store
