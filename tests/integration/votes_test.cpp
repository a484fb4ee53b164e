// Votes over real HTTP: one per person per idea (idempotent PUT), withdrawing, the up
// and updown models, the per-user budget, closed challenges, exact counters under many
// concurrent voters, and the per-user write limit.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "core_helpers.hpp"

using namespace cc::test;

TEST(Votes, PutIsIdempotentAndZeroWithdraws) {
  Core c;
  auto id = c.open_challenge();
  auto idea = c.idea(c.staff, id, "Vote on me");
  auto r = expect_status(c.vote(c.other, idea, 1), 200, "vote");
  EXPECT_EQ(r, json({{"idea_id", idea}, {"votes", {{"up", 1}, {"down", 0}}}, {"score", 1}, {"my_vote", 1}}));
  r = expect_status(c.vote(c.other, idea, 1), 200, "again");
  EXPECT_EQ(r["votes"]["up"], 1) << "the same vote twice counts once";
  EXPECT_EQ(r["score"], 1);
  EXPECT_EQ(r["my_vote"], 1);
  // The author may vote for their own idea.
  r = expect_status(c.vote(c.staff, idea, 1), 200, "author vote");
  EXPECT_EQ(r["votes"]["up"], 2);

  EXPECT_EQ(c.get_idea(c.other, idea)["my_vote"], 1);
  EXPECT_EQ(c.get_idea(c.dg, idea)["my_vote"], 0);
  EXPECT_EQ(c.get_idea(c.dg, idea)["votes"]["up"], 2);

  r = expect_status(c.vote(c.other, idea, 0), 200, "withdraw");
  EXPECT_EQ(r["votes"]["up"], 1);
  EXPECT_EQ(r["score"], 1);
  EXPECT_EQ(r["my_vote"], 0);
  r = expect_status(c.vote(c.other, idea, 0), 200, "withdraw again");
  EXPECT_EQ(r["votes"]["up"], 1);
  EXPECT_EQ(c.get_idea(c.other, idea)["my_vote"], 0);

  // Bad values.
  for (const json& bad : {json(2), json(-2), json("1"), json(true), json(0.5), json(nullptr)}) {
    auto res = c.other.put(kApi + "/ideas/" + str(idea) + "/vote", {{"value", bad}});
    EXPECT_EQ(res.status, 422) << bad.dump();
    EXPECT_EQ(error_field(res), "value") << bad.dump();
  }
  auto res = c.other.put(kApi + "/ideas/" + str(idea) + "/vote", json::object());
  EXPECT_EQ(error_field(res), "value");
  EXPECT_EQ(c.vote(c.other, 999999, 1).status, 404);
  EXPECT_EQ(c.get_idea(c.dg, idea)["votes"], json({{"up", 1}, {"down", 0}}));
}

TEST(Votes, UpModelRefusesDownVotesAndUpdownTakesThem) {
  Core c;
  auto up_only = c.open_challenge();
  auto idea = c.idea(c.staff, up_only, "Up only");
  auto r = c.vote(c.other, idea, -1);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(error_code(r), "validation_failed");
  EXPECT_EQ(error_field(r), "value");
  EXPECT_EQ(c.get_idea(c.other, idea)["votes"]["down"], 0);

  auto updown = c.open_updown_challenge();
  auto i2 = c.idea(c.staff, updown, "Divisive");
  auto v3 = c.user("third");
  expect_status(c.vote(c.staff, i2, 1), 200, "up");
  expect_status(c.vote(c.dg, i2, 1), 200, "up");
  auto res = expect_status(c.vote(c.other, i2, -1), 200, "down");
  EXPECT_EQ(res["votes"], json({{"up", 2}, {"down", 1}}));
  EXPECT_EQ(res["score"], 1);
  EXPECT_EQ(res["my_vote"], -1);
  res = expect_status(c.vote(v3, i2, -1), 200, "down");
  EXPECT_EQ(res["score"], 0);
  // Changing a vote moves it from one side to the other.
  res = expect_status(c.vote(c.other, i2, 1), 200, "flip");
  EXPECT_EQ(res["votes"], json({{"up", 3}, {"down", 1}}));
  EXPECT_EQ(res["score"], 2);
  res = expect_status(c.vote(c.staff, i2, -1), 200, "flip");
  EXPECT_EQ(res["votes"], json({{"up", 2}, {"down", 2}}));
  EXPECT_EQ(res["score"], 0);
  res = expect_status(c.vote(v3, i2, 0), 200, "withdraw a down vote");
  EXPECT_EQ(res["votes"], json({{"up", 2}, {"down", 1}}));
  EXPECT_EQ(res["score"], 1);
  auto got = c.get_idea(c.staff, i2);
  EXPECT_EQ(got["votes"], json({{"up", 2}, {"down", 1}}));
  EXPECT_EQ(got["score"], 1);
  EXPECT_EQ(got["my_vote"], -1);
  auto ch = expect_status(c.staff.get(kApi + "/challenges/" + str(updown)), 200, "challenge")["challenge"];
  EXPECT_EQ(ch["counts"]["votes"], 3);
}

TEST(Votes, TheBudgetLimitsVotesAcrossAChallenge) {
  Core c;
  json body = challenge_body("Two votes each");
  body["voting"] = {{"model", "updown"}, {"votes_per_user", 2}};
  auto id = c.open_challenge(body);
  auto a = c.idea(c.staff, id, "Idea A");
  auto b = c.idea(c.staff, id, "Idea B");
  auto d = c.idea(c.staff, id, "Idea C");
  auto elsewhere = c.idea(c.staff, c.open_challenge(challenge_body("Unlimited")), "Elsewhere");

  expect_status(c.vote(c.other, a, 1), 200, "first");
  expect_status(c.vote(c.other, b, -1), 200, "second");
  auto r = c.vote(c.other, d, 1);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(error_code(r), "conflict");
  EXPECT_EQ(c.get_idea(c.other, d)["votes"]["up"], 0);
  // Repeating or changing a vote already cast does not spend more.
  EXPECT_EQ(c.vote(c.other, a, 1).status, 200);
  EXPECT_EQ(c.vote(c.other, b, 1).status, 200);
  // Other challenges have their own budget; other people theirs.
  EXPECT_EQ(c.vote(c.other, elsewhere, 1).status, 200);
  EXPECT_EQ(c.vote(c.dg, d, 1).status, 200);
  // Withdrawing frees a vote.
  expect_status(c.vote(c.other, a, 0), 200, "withdraw");
  auto res = expect_status(c.vote(c.other, d, 1), 200, "after withdrawing");
  EXPECT_EQ(res["votes"]["up"], 2);
  EXPECT_EQ(c.vote(c.other, a, 1).status, 409);
}

TEST(Votes, RefusedWhenTheChallengeIsNotOpen) {
  Core c;
  auto id = c.open_challenge();
  auto idea = c.idea(c.staff, id, "Soon closed");
  expect_status(c.vote(c.other, idea, 1), 200, "vote");
  expect_status(c.dg.patch(kApi + "/challenges/" + str(id), {{"status", "closed"}}), 200, "close");
  for (int value : {1, 0}) {
    auto r = c.vote(c.staff, idea, value);
    EXPECT_EQ(r.status, 409) << value;
    EXPECT_EQ(error_code(r), "conflict");
  }
  EXPECT_EQ(c.vote(c.other, idea, 0).status, 409);
  EXPECT_EQ(c.get_idea(c.other, idea)["votes"]["up"], 1);
  expect_status(c.dg.patch(kApi + "/challenges/" + str(id), {{"status", "open"}}), 200, "reopen");
  EXPECT_EQ(c.vote(c.staff, idea, 1).status, 200);
}

TEST(Votes, CountersStayExactUnderConcurrentVoters) {
  // Cheap password hashing: this test registers forty people.
  ServerProcess::Options o = fast_options();
  o.env.push_back({"CARECROWD_PASSWORD_HASH_MEMORY_KIB", "64"});
  o.env.push_back({"CARECROWD_PASSWORD_HASH_ITERATIONS", "1"});
  Core c(o);
  auto id = c.open_updown_challenge("Hammered");
  auto idea = c.idea(c.staff, id, "Everyone votes on this");
  auto bystander = c.idea(c.staff, id, "Nobody votes on this");

  constexpr int kThreads = 20, kUsersPerThread = 3;
  std::atomic<int> failures{0}, writes{0};
  std::mutex error_mutex;
  std::string first_error;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int u = 0; u < kUsersPerThread; ++u) {
          int n = t * kUsersPerThread + u;
          Client cl = c.d.client();
          auto reg = cl.post(kApi + "/auth/register",
                             {{"email", "voter" + std::to_string(n) + "@example.nhs.uk"},
                              {"password", "a long enough passphrase 42"},
                              {"display_name", "Voter " + std::to_string(n)},
                              {"profession", "nursing"},
                              {"organisation", "Trust"}});
          if (reg.status != 201) throw std::runtime_error("register: " + reg.body);
          cl.csrf = reg.json_body()["csrf_token"].get<std::string>();
          // Everyone changes their mind a few times; even voters end up, odd ones down.
          std::vector<int> sequence = {1, -1, 0, 1, -1, 1, 1};
          sequence.push_back(n % 2 == 0 ? 1 : -1);
          for (int value : sequence) {
            auto r = cl.put(kApi + "/ideas/" + str(idea) + "/vote", {{"value", value}});
            ++writes;
            if (r.status != 200 || r.json_body()["my_vote"] != value) throw std::runtime_error("vote: " + r.body);
          }
        }
      } catch (const std::exception& e) {
        ++failures;
        std::lock_guard lock(error_mutex);
        if (first_error.empty()) first_error = e.what();
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0) << first_error;
  EXPECT_EQ(writes.load(), kThreads * kUsersPerThread * 8);

  constexpr int kVoters = kThreads * kUsersPerThread;
  auto got = c.get_idea(c.staff, idea);
  EXPECT_EQ(got["votes"]["up"], kVoters / 2);
  EXPECT_EQ(got["votes"]["down"], kVoters / 2);
  EXPECT_EQ(got["score"], 0);
  EXPECT_EQ(c.get_idea(c.staff, bystander)["votes"], json({{"up", 0}, {"down", 0}}));
  auto ch = expect_status(c.staff.get(kApi + "/challenges/" + str(id)), 200, "challenge")["challenge"];
  EXPECT_EQ(ch["counts"]["votes"], kVoters);
  EXPECT_EQ(ch["counts"]["participants"], kVoters + 1);  // the voters and the author
  EXPECT_EQ(ch["counts"]["ideas"], 2);

  // One more round, all at once, all up: the counters follow exactly.
  std::vector<Client> clients;
  for (int n = 0; n < kVoters; ++n) {
    Client cl = c.d.client();
    auto r = cl.login("voter" + std::to_string(n) + "@example.nhs.uk", "a long enough passphrase 42");
    ASSERT_EQ(r.status, 200) << r.body;
    clients.push_back(std::move(cl));
  }
  threads.clear();
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int u = 0; u < kUsersPerThread; ++u)
        if (clients[static_cast<std::size_t>(t * kUsersPerThread + u)]
                .put(kApi + "/ideas/" + str(idea) + "/vote", {{"value", 1}})
                .status != 200)
          ++failures;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  got = c.get_idea(c.staff, idea);
  EXPECT_EQ(got["votes"]["up"], kVoters);
  EXPECT_EQ(got["votes"]["down"], 0);
  EXPECT_EQ(got["score"], kVoters);
}

TEST(Votes, ThePerUserWriteLimitAnswers429) {
  ServerProcess::Options o = fast_options();
  o.env.push_back({"CARECROWD_LIMITS_WRITES_PER_MINUTE_PER_USER", "5"});
  Core c(o);
  auto id = c.open_challenge();
  auto idea = c.idea(c.staff, id, "Limited");  // one of staff's five
  int ok = 0;
  Response last;
  for (int i = 0; i < 8; ++i) {
    last = c.vote(c.staff, idea, i % 2 ? 0 : 1);
    if (last.status != 200) break;
    ++ok;
  }
  EXPECT_EQ(ok, 4);
  EXPECT_EQ(last.status, 429);
  EXPECT_EQ(error_code(last), "rate_limited");
  EXPECT_FALSE(last.header("retry-after").empty());
  // Comments and ideas count too; other people are not affected.
  EXPECT_EQ(c.staff.post(kApi + "/ideas/" + str(idea) + "/comments", {{"body", "hello"}}).status, 429);
  EXPECT_EQ(c.vote(c.other, idea, 1).status, 200);
  EXPECT_EQ(c.staff.get(kApi + "/ideas/" + str(idea)).status, 200);  // reads are not limited
}
