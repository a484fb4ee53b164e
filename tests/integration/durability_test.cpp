// Durability: writers record every acknowledged write while the server is killed with
// SIGKILL at random moments; after each restart every acknowledged idea, comment and
// vote is there, the database passes integrity_check and the counters equal the rows.
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "store/connection.hpp"
#include "support/harness.hpp"

using namespace cc::test;

namespace {

struct Ledger {
  std::mutex m;
  std::vector<std::int64_t> ideas;     // acknowledged idea ids
  std::vector<std::int64_t> comments;  // acknowledged comment ids
  // Per voting writer: the idea it votes on, the last acknowledged value, and the value
  // of a request that got no answer (it may or may not have been committed).
  struct VoteState {
    std::int64_t idea = 0;
    int acked = 0;
    std::optional<int> pending;
  };
  std::vector<VoteState> votes;
};

void check_database(const std::string& db) {
  cc::store::Connection c(db, cc::store::Access::read_only, 5000);
  {
    auto st = c.prepare("PRAGMA integrity_check");
    ASSERT_TRUE(st->executeStep());
    EXPECT_EQ(st->getColumn(0).getString(), "ok");
  }
  // Counters kept in the same transaction as their rows must equal the rows.
  EXPECT_EQ(c.scalar_int("SELECT count(*) FROM ideas i WHERE up_votes <> (SELECT count(*) FROM votes v WHERE v.idea_id = i.id AND v.value = 1) "
                         "OR down_votes <> (SELECT count(*) FROM votes v WHERE v.idea_id = i.id AND v.value = -1) "
                         "OR score <> up_votes - down_votes"),
            0);
  EXPECT_EQ(c.scalar_int("SELECT count(*) FROM ideas i WHERE comment_count <> "
                         "(SELECT count(*) FROM comments c WHERE c.idea_id = i.id AND c.state <> 'deleted')"),
            0);
  EXPECT_EQ(c.scalar_int("SELECT count(*) FROM challenges ch WHERE idea_count <> "
                         "(SELECT count(*) FROM ideas i WHERE i.challenge_id = ch.id AND i.status <> 'merged') "
                         "OR vote_count <> (SELECT count(*) FROM votes v WHERE v.challenge_id = ch.id) "
                         "OR comment_count <> (SELECT count(*) FROM comments c JOIN ideas i ON i.id = c.idea_id "
                         "WHERE i.challenge_id = ch.id AND c.state <> 'deleted')"),
            0);
}

}  // namespace

TEST(Durability, AcknowledgedWritesSurviveRepeatedSigkill) {
  auto options = fast_options();
  options.env.push_back({"CARECROWD_LIMITS_WRITES_PER_MINUTE_PER_USER", "0"});
  Deployment d(options);
  constexpr int kWriters = 4;
  constexpr int kKills = 50;
  std::vector<std::string> emails;
  for (int i = 0; i < kWriters; ++i) emails.push_back(d.add_user("writer" + std::to_string(i), "staff"));
  auto lead_email = d.add_user("lead", "design_group");
  Client lead = d.signed_in(lead_email);
  auto ch = lead.post("/api/v1/challenges", {{"title", "Durable"}, {"brief", ""}, {"principle_ids", {1}}, {"status", "open"}})
                .json_body()["challenge"]["id"]
                .get<std::int64_t>();
  std::vector<Client> writers;
  Ledger ledger;
  for (int i = 0; i < kWriters; ++i) {
    writers.push_back(d.signed_in(emails[i]));
    auto idea = writers.back()
                    .post("/api/v1/challenges/" + std::to_string(ch) + "/ideas", {{"title", "Vote target " + std::to_string(i)}, {"body", "b"}})
                    .json_body()["idea"]["id"]
                    .get<std::int64_t>();
    ledger.ideas.push_back(idea);
    ledger.votes.push_back({idea, 0, std::nullopt});
  }
  std::mt19937 rng(20261122);
  for (int round = 0; round < kKills; ++round) {
    std::atomic<bool> stop{false};
    std::atomic<int> acked{0};  // writes acknowledged this round
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
      threads.emplace_back([&, w] {
        // Cookies survive restarts: sessions live in the database.
        Client c = writers[w];
        c = Client(d.server->host(), d.server->port());
        c.cookies = writers[w].cookies;
        c.csrf = writers[w].csrf;
        int n = 0;
        while (!stop) {
          try {
            if (n % 3 == 0) {
              auto r = c.post("/api/v1/challenges/" + std::to_string(ch) + "/ideas",
                              {{"title", "Idea r" + std::to_string(round) + " w" + std::to_string(w) + " n" + std::to_string(n)}, {"body", "b"}});
              if (r.status == 201) {
                std::lock_guard lock(ledger.m);
                ledger.ideas.push_back(r.json_body()["idea"]["id"]);
                ++acked;
              }
            } else if (n % 3 == 1) {
              auto r = c.post("/api/v1/ideas/" + std::to_string(ledger.votes[w].idea) + "/comments", {{"body", "c" + std::to_string(n)}});
              if (r.status == 201) {
                std::lock_guard lock(ledger.m);
                ledger.comments.push_back(r.json_body()["comment"]["id"]);
                ++acked;
              }
            } else {
              int value = ledger.votes[w].acked == 1 ? 0 : 1;
              ledger.votes[w].pending = value;
              auto r = c.put("/api/v1/ideas/" + std::to_string(ledger.votes[w].idea) + "/vote", {{"value", value}});
              if (r.status == 200) {
                ledger.votes[w].acked = value;
                ledger.votes[w].pending.reset();
                ++acked;
              }
            }
          } catch (const std::exception&) {
            // The server went away mid-request: that write was not acknowledged.
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
          }
          ++n;
        }
      });
    }
    // The kill lands in the middle of the writes, counted from the first one answered: on a
    // loaded machine (the sanitizer build beside the other tests) a freshly restarted
    // server can take longer than the whole window to answer its first write.
    const auto first_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (acked == 0 && std::chrono::steady_clock::now() < first_deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 150)(rng)));
    ASSERT_EQ(d.server->stop(SIGKILL), 128 + SIGKILL);
    stop = true;
    for (auto& t : threads) t.join();
    check_database(d.db);
    d.start(options);
    Client check = d.client();
    check.cookies = lead.cookies;
    check.csrf = lead.csrf;
    // Every acknowledged write is there.
    std::lock_guard lock(ledger.m);
    for (auto id : ledger.ideas) ASSERT_EQ(check.get("/api/v1/ideas/" + std::to_string(id)).status, 200) << "lost idea " << id;
    for (int w = 0; w < kWriters; ++w) {
      auto& v = ledger.votes[w];
      Client voter(d.server->host(), d.server->port());
      voter.cookies = writers[w].cookies;
      auto mine = voter.get("/api/v1/ideas/" + std::to_string(v.idea)).json_body()["idea"]["my_vote"].get<int>();
      if (v.pending) EXPECT_TRUE(mine == v.acked || mine == *v.pending) << "vote of writer " << w;
      else EXPECT_EQ(mine, v.acked) << "vote of writer " << w;
      v.acked = mine;  // whichever it is, it is now the committed state
      v.pending.reset();
    }
    ASSERT_FALSE(::testing::Test::HasFailure()) << "round " << round;
  }
  // All comments acknowledged across every round are there, oldest first.
  Client check = d.client();
  check.cookies = lead.cookies;
  std::set<std::int64_t> stored;
  for (int w = 0; w < kWriters; ++w) {
    std::optional<std::string> cursor;
    do {
      auto r = check.get("/api/v1/ideas/" + std::to_string(ledger.votes[w].idea) + "/comments?limit=100" +
                         (cursor ? "&cursor=" + *cursor : "")).json_body();
      for (auto& c : r["items"]) stored.insert(c["id"].get<std::int64_t>());
      cursor = r["next_cursor"].is_null() ? std::nullopt : std::optional<std::string>(r["next_cursor"]);
    } while (cursor);
  }
  for (auto id : ledger.comments) EXPECT_TRUE(stored.count(id)) << "lost comment " << id;
  EXPECT_GT(ledger.ideas.size(), 50u);
  EXPECT_GT(ledger.comments.size(), 50u);
}
