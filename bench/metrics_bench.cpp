// metrics_bench: how fast a challenge's impact metrics answer at scale (issue 8: "a
// challenge with 100,000 votes answers its metrics in well under 100 ms").
//
// Fills a temporary database with a bulk loader (one transaction of prepared inserts,
// the same schema and migrations as the server) - people across professions and
// organisations, one large challenge with ideas, comments and votes spread over 30 days,
// status changes - then times the very calls the API makes: the challenge metrics, the
// overview and the CSV export, and prints the figures and the timings.
//
//   metrics_bench [--votes N] [--users N] [--ideas N] [--comments N] [--runs N] [--keep FILE]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <sqlite3.h>

#include "bench_common.hpp"
#include "common/clock.hpp"
#include "service/metrics.hpp"
#include "service/settings.hpp"
#include "store/store.hpp"

using namespace cc;
using Clock = std::chrono::steady_clock;
using bench::Rng;

namespace {

struct Options {
  long votes = 100000, users = 10000, ideas = 2000, comments = 5000, runs = 50;
  std::string keep;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "metrics_bench: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--votes") o.votes = std::stol(next());
    else if (a == "--users") o.users = std::stol(next());
    else if (a == "--ideas") o.ideas = std::stol(next());
    else if (a == "--comments") o.comments = std::stol(next());
    else if (a == "--runs") o.runs = std::stol(next());
    else if (a == "--keep") o.keep = next();
    else {
      std::printf("usage: metrics_bench [--votes N] [--users N] [--ideas N] [--comments N] [--runs N] [--keep FILE]\n");
      std::exit(a == "--help" || a == "-h" ? 0 : 2);
    }
  }
  if (o.votes > o.users * o.ideas) {
    std::fprintf(stderr, "metrics_bench: --votes cannot exceed users x ideas (one vote per person per idea)\n");
    std::exit(2);
  }
  return o;
}

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

struct Timing {
  double first = 0, min = 0, median = 0, p95 = 0, max = 0;
};

template <class F>
Timing time_it(long runs, F&& f) {
  Timing t;
  auto start = Clock::now();
  f();
  t.first = ms_since(start);
  std::vector<double> all;
  for (long i = 0; i < runs; ++i) {
    auto s = Clock::now();
    f();
    all.push_back(ms_since(s));
  }
  std::sort(all.begin(), all.end());
  if (all.empty()) all.push_back(t.first);
  t.min = all.front();
  t.median = all[all.size() / 2];
  t.p95 = all[std::min(all.size() - 1, all.size() * 95 / 100)];
  t.max = all.back();
  return t;
}

void load(store::Store& store, const Options& o, std::int64_t& challenge_id) {
  Rng rng;
  const std::int64_t day0 = now_seconds() - 30 * 86400;
  store.write_sync([&](store::WriteTx& tx) {
    auto& c = tx.conn;
    auto user = c.prepare(
        "INSERT INTO users(id, email, password_hash, display_name, profession, organisation, role, created_at) "
        "VALUES (?, ?, 'bench', ?, ?, ?, 'staff', ?)");
    for (long u = 1; u <= o.users; ++u) {
      const char* prof = bench::pick_profession(rng);
      user->bind(1, static_cast<std::int64_t>(u));
      user->bind(2, "user" + std::to_string(u) + "@bench.example");
      user->bind(3, "Bench User " + std::to_string(u));
      user->bind(4, prof);
      user->bind(5, "Organisation " + std::to_string(rng.below(40) + 1));
      user->bind(6, to_rfc3339(day0 - 86400));
      user->exec();
      user->reset();
    }
    c.exec("INSERT INTO challenges(id, title, brief, status, voting_model, created_at, updated_at) VALUES "
           "(1, 'The big challenge', 'A challenge the whole system answered', 'open', 'updown', '" +
           to_rfc3339(day0) + "', '" + to_rfc3339(day0) + "'), (2, 'A small one', '', 'open', 'up', '" + to_rfc3339(day0) +
           "', '" + to_rfc3339(day0) + "')");
    c.exec("INSERT INTO challenge_principles VALUES (1, 1), (1, 3), (2, 2)");
    challenge_id = 1;

    // Ideas, with their first history entry and, for some, a status change hours later.
    const char* statuses[] = {"new", "new", "new", "under_review", "shortlisted", "forwarded", "adopted", "not_progressed"};
    auto idea = c.prepare(
        "INSERT INTO ideas(id, challenge_id, author_id, title, body, status, created_ts, created_at, updated_at, "
        "first_status_change_ts) VALUES (?, 1, ?, ?, 'A plain description of the idea.', ?, ?, ?, ?, ?)");
    auto hist = c.prepare("INSERT INTO idea_history(idea_id, status, note, by_user_id, at) VALUES (?, ?, '', NULL, ?)");
    std::vector<std::int64_t> created(static_cast<std::size_t>(o.ideas) + 1);
    std::vector<std::pair<std::int64_t, std::int64_t>> firsts;  // (user, time) of every contribution
    for (long i = 1; i <= o.ideas; ++i) {
      auto author = rng.below(o.users) + 1;
      auto ts = day0 + rng.below(30 * 86400);
      const char* status = statuses[rng.below(8)];
      bool changed = std::string(status) != "new";
      auto changed_ts = ts + 3600 + rng.below(72 * 3600);
      created[static_cast<std::size_t>(i)] = ts;
      idea->bind(1, static_cast<std::int64_t>(i));
      idea->bind(2, static_cast<std::int64_t>(author));
      idea->bind(3, "Idea " + std::to_string(i));
      idea->bind(4, status);
      idea->bind(5, ts);
      idea->bind(6, to_rfc3339(ts));
      idea->bind(7, to_rfc3339(ts));
      if (changed) idea->bind(8, changed_ts); else idea->bind(8);
      idea->exec();
      idea->reset();
      hist->bind(1, static_cast<std::int64_t>(i));
      hist->bind(2, "new");
      hist->bind(3, to_rfc3339(ts));
      hist->exec();
      hist->reset();
      if (changed) {
        hist->bind(1, static_cast<std::int64_t>(i));
        hist->bind(2, status);
        hist->bind(3, to_rfc3339(changed_ts));
        hist->exec();
        hist->reset();
      }
      firsts.emplace_back(author, ts);
    }

    // Votes: distinct (person, idea) pairs, each person voting on several ideas.
    auto vote = c.prepare(
        "INSERT OR IGNORE INTO votes(user_id, idea_id, challenge_id, value, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?)");
    long cast = 0;
    for (long k = 0; cast < o.votes; ++k) {
      auto voter = (k % o.users) + 1;
      auto target = rng.below(o.ideas) + 1;
      auto ts = std::max(created[static_cast<std::size_t>(target)], day0) + rng.below(86400 * 3);
      auto when = to_rfc3339(std::min(ts, now_seconds()));
      vote->bind(1, static_cast<std::int64_t>(voter));
      vote->bind(2, static_cast<std::int64_t>(target));
      vote->bind(3, rng.below(5) == 0 ? -1 : 1);
      vote->bind(4, when);
      vote->bind(5, when);
      cast += vote->exec();
      vote->reset();
      firsts.emplace_back(voter, std::min(ts, now_seconds()));
    }

    auto comment = c.prepare("INSERT INTO comments(idea_id, author_id, body, created_at) VALUES (?, ?, 'A comment', ?)");
    for (long k = 0; k < o.comments; ++k) {
      auto author = rng.below(o.users) + 1;
      auto target = rng.below(o.ideas) + 1;
      auto ts = created[static_cast<std::size_t>(target)] + rng.below(86400 * 2);
      comment->bind(1, static_cast<std::int64_t>(target));
      comment->bind(2, static_cast<std::int64_t>(author));
      comment->bind(3, to_rfc3339(std::min(ts, now_seconds())));
      comment->exec();
      comment->reset();
      firsts.emplace_back(author, std::min(ts, now_seconds()));
    }

    // Participants with the time of their first contribution; then every counter.
    std::sort(firsts.begin(), firsts.end());
    auto part = c.prepare("INSERT OR IGNORE INTO challenge_participants(challenge_id, user_id, first_at) VALUES (1, ?, ?)");
    for (const auto& [u, ts] : firsts) {
      part->bind(1, u);
      part->bind(2, to_rfc3339(ts));
      part->exec();
      part->reset();
    }
    c.exec("UPDATE ideas SET up_votes = (SELECT count(*) FROM votes v WHERE v.idea_id = ideas.id AND v.value = 1), "
           "down_votes = (SELECT count(*) FROM votes v WHERE v.idea_id = ideas.id AND v.value = -1), "
           "comment_count = (SELECT count(*) FROM comments m WHERE m.idea_id = ideas.id)");
    c.exec("UPDATE ideas SET score = up_votes - down_votes");
    c.exec("UPDATE challenges SET idea_count = (SELECT count(*) FROM ideas i WHERE i.challenge_id = challenges.id AND "
           "i.status <> 'merged'), comment_count = (SELECT count(*) FROM comments m JOIN ideas i ON i.id = m.idea_id "
           "WHERE i.challenge_id = challenges.id), vote_count = (SELECT count(*) FROM votes v WHERE v.challenge_id = "
           "challenges.id), participant_count = (SELECT count(*) FROM challenge_participants p WHERE p.challenge_id = "
           "challenges.id)");
    service::Settings::put(c, "workforce.baseline",
                           R"({"nursing":0.3,"social_care":0.25,"medical":0.12,"allied_health":0.1,"management":0.05,)"
                           R"("pharmacy":0.04,"midwifery":0.03,"paramedic":0.03,"social_work":0.05,"other":0.03})");
  });
}

}  // namespace

int main(int argc, char** argv) {
  auto o = parse(argc, argv);
  namespace fs = std::filesystem;
  auto dir = fs::temp_directory_path() / ("carecrowd-metrics-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto path = o.keep.empty() ? (dir / "bench.db").string() : o.keep;
  if (!o.keep.empty()) fs::remove(path);
  std::printf("metrics_bench: %ld people, %ld ideas, %ld comments, %ld votes in one challenge\n", o.users, o.ideas,
              o.comments, o.votes);
  std::printf("machine: %u hardware threads; SQLite %s\n", std::thread::hardware_concurrency(), sqlite3_libversion());
  int rc = 0;
  {
    store::Store store(store::StoreOptions{path});
    std::int64_t ch = 0;
    auto t0 = Clock::now();
    load(store, o, ch);
    std::printf("bulk load: %.0f ms (one transaction)\n\n", ms_since(t0));

    service::Settings settings(store);
    service::ImpactMetrics impact(store, settings);
    nlohmann::json m;
    auto challenge = time_it(o.runs, [&] { m = impact.challenge(ch); });
    nlohmann::json ov;
    auto overview = time_it(o.runs, [&] { ov = impact.overview(); });
    std::size_t csv_bytes = 0;
    auto csv = time_it(std::max(1L, o.runs / 5), [&] { csv_bytes = impact.ideas_csv(ch).size(); });

    std::printf("figures of challenge %lld: %lld people taking part, %lld ideas, %lld comments, %lld votes\n",
                static_cast<long long>(ch), m["participants"].get<long long>(), m["ideas"].get<long long>(),
                m["comments"].get<long long>(), m["votes"].get<long long>());
    std::printf("  %-20s %7s %7s %9s %6s\n", "profession", "people", "share", "workforce", "repr");
    auto fmt = [](const nlohmann::json& v, double scale, const char* suffix) {
      if (!v.is_number()) return std::string("-");
      char buf[32];
      std::snprintf(buf, sizeof buf, scale == 1 ? "%.2f%s" : "%.1f%s", v.get<double>() * scale, suffix);
      return std::string(buf);
    };
    for (const auto& [name, f] : m["by_profession"].items())
      std::printf("  %-20s %7lld %7s %9s %6s\n", name.c_str(), f["participants"].get<long long>(),
                  fmt(f["share"], 100, "%").c_str(), fmt(f["baseline_share"], 100, "%").c_str(),
                  fmt(f["representation"], 1, "").c_str());
    std::printf("  evenness %.3f across %lld professions; under-represented: %s\n",
                m["diversity"]["evenness"].get<double>(), m["diversity"]["professions"].get<long long>(),
                m["diversity"]["under_represented"].dump().c_str());
    std::printf("  %zu organisations; %zu days in the daily series; funnel %s\n", m["by_organisation"].size(),
                m["daily"].size(), m["funnel"].dump().c_str());
    long long daily_votes = 0;
    for (const auto& d : m["daily"]) daily_votes += d["votes"].get<long long>();
    if (daily_votes != m["votes"].get<long long>() || m["votes"].get<long long>() != o.votes) {
      std::printf("  MISMATCH: the days add up to %lld votes, the total is %lld, %ld were loaded\n", daily_votes,
                  m["votes"].get<long long>(), o.votes);
      rc = 1;
    }
    std::printf("overview: median wait for a first status change %.1f hours (%lld ideas changed, %lld waiting)\n\n",
                ov["first_status_change"]["median_hours"].get<double>(),
                ov["first_status_change"]["ideas_changed"].get<long long>(),
                ov["first_status_change"]["ideas_waiting"].get<long long>());

    std::printf("%-34s %8s %8s %8s %8s %8s\n", "timings (ms)", "first", "min", "median", "p95", "max");
    auto row = [](const char* name, const Timing& t) {
      std::printf("%-34s %8.2f %8.2f %8.2f %8.2f %8.2f\n", name, t.first, t.min, t.median, t.p95, t.max);
    };
    row("GET /metrics/challenges/{id}", challenge);
    row("GET /metrics/overview", overview);
    row(("GET /export/...csv (" + std::to_string(csv_bytes / 1024) + " KiB)").c_str(), csv);
    bool met = challenge.p95 < 100;
    std::printf("\ngoal: a challenge with %ld votes answers its metrics in well under 100 ms: %s (p95 %.1f ms)\n",
                o.votes, met ? "met" : "NOT met", challenge.p95);
    if (!met) rc = 1;
  }
  if (o.keep.empty()) fs::remove_all(dir);
  else std::printf("database kept at %s\n", path.c_str());
  return rc;
}
