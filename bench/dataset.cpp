// bench_dataset: fills a database with a whole integrated care system's worth of
// contributions for the performance table (issue 9): by default 10,000 people across
// professions, 100 open challenges, 100,000 ideas, 1,000,000 votes and 200,000 comments,
// with every counter, participant, follow and search-index row the write path would
// have left, and one signed-in session per person.
//
// It is a bulk loader, not the write path: one transaction of prepared inserts through
// the server's own schema and migrations, then the counters recomputed from the rows
// with SQL, so a load takes seconds rather than the hour a million HTTP votes would.
// Challenge 1 is the big one (100,000 of the votes) for the metrics figure.
//
// The sessions go to a tab-separated file for the load generators:
//   user_id <TAB> role <TAB> session token (cookie cc_session) <TAB> CSRF token
//
//   bench_dataset --db FILE --sessions FILE [--users N] [--challenges N] [--ideas N]
//                 [--votes N] [--comments N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include "auth/crypto.hpp"
#include "bench_common.hpp"
#include "common/clock.hpp"
#include "store/store.hpp"

using namespace cc;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  std::string db, sessions;
  long users = 10000, challenges = 100, ideas = 100000, votes = 1000000, comments = 200000;
};

[[noreturn]] void usage(int code) {
  std::printf(
      "usage: bench_dataset --db FILE --sessions FILE [--users N] [--challenges N] [--ideas N]\n"
      "                     [--votes N] [--comments N]\n\n"
      "Creates FILE (which must not exist) with the server's schema and a deterministic dataset:\n"
      "10,000 users, 100 challenges, 100,000 ideas, 1,000,000 votes and 200,000 comments by\n"
      "default. Writes one session per user to the sessions file (id, role, token, csrf).\n");
  std::exit(code);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") usage(0);
    if (i + 1 >= argc) usage(2);
    std::string v = argv[++i];
    auto number = [&] {
      char* end = nullptr;
      long n = std::strtol(v.c_str(), &end, 10);
      if (*end || n < 1) {
        std::fprintf(stderr, "bench_dataset: %s needs a positive number\n", a.c_str());
        std::exit(2);
      }
      return n;
    };
    if (a == "--db") o.db = v;
    else if (a == "--sessions") o.sessions = v;
    else if (a == "--users") o.users = number();
    else if (a == "--challenges") o.challenges = number();
    else if (a == "--ideas") o.ideas = number();
    else if (a == "--votes") o.votes = number();
    else if (a == "--comments") o.comments = number();
    else usage(2);
  }
  if (o.db.empty() || o.sessions.empty()) usage(2);
  if (o.users < 30 || o.ideas < o.challenges) {
    std::fprintf(stderr, "bench_dataset: need at least 30 users and one idea per challenge\n");
    std::exit(2);
  }
  if (std::filesystem::exists(o.db)) {
    std::fprintf(stderr, "bench_dataset: %s already exists; the loader only fills a new database\n", o.db.c_str());
    std::exit(2);
  }
  return o;
}

// Text with the shape of real writing, so search has realistic selectivity: mostly
// common words, a long tail of rarer ones (made from syllables, drawn with a power-law
// skew), and now and then a word of the domain, so that searching for "discharge" finds
// a few percent of the ideas rather than nearly all of them.
const std::vector<std::string> kCommon = {
    "the", "a", "and", "to", "of", "for", "in", "on", "with", "we", "our", "could", "would", "more", "less",
    "time", "staff", "patients", "people", "team", "teams", "work", "make", "help", "need", "should", "when",
    "this", "that", "it", "is", "are", "be", "have", "can", "from", "at", "by", "so", "every", "each", "day",
    "week", "better", "easier", "faster", "safer", "together", "across", "local", "new", "one", "all"};

const std::vector<std::string> kDomain = {
    "discharge", "handover", "rota", "community", "pharmacy", "prescribing", "falls", "frailty", "dementia",
    "referral", "waiting", "triage", "ambulance", "ward", "bed", "flow", "staffing", "wellbeing", "burnout",
    "training", "mentoring", "leadership", "carers", "home", "hospital", "primary", "mental", "children",
    "maternity", "safeguarding", "digital", "records", "access", "appointments", "virtual", "therapy",
    "physiotherapy", "occupational", "nutrition", "hydration", "medicines", "reconciliation", "pathway",
    "integrated", "neighbourhood", "voluntary", "housing", "transport", "loneliness", "prevention", "screening",
    "vaccination", "diabetes", "respiratory", "heart", "stroke", "cancer", "palliative", "planning",
    "supervision", "reflective", "recruitment", "retention", "diversity", "inclusion", "apprenticeship",
    "rotation", "portfolio", "induction", "feedback", "families", "interpreters", "estates", "parking", "night",
    "shift", "weekend", "escalation", "huddle", "dashboard", "quality", "improvement", "audit", "outcomes",
    "equity"};

const std::vector<std::string> kSyllables = {"ca", "re", "mo", "li", "ten", "sor", "val", "pi", "nu", "dex",
                                             "ro", "ga", "ther", "an", "pol", "mi", "ster", "ve", "lu", "ko",
                                             "bra", "sen", "tu", "fe", "dil", "na", "cor", "phy", "sa", "len"};

const std::vector<std::string> kTags = {"discharge", "workforce", "digital", "prevention", "wellbeing",
                                        "community", "medicines", "training", "flow", "equity"};

std::string rare_word(bench::Rng& rng) {
  auto n = static_cast<std::size_t>(rng.skewed_below(20000));
  const auto k = kSyllables.size();
  return kSyllables[n % k] + kSyllables[(n / k) % k] + (n >= k * k ? kSyllables[(n / (k * k)) % k] : "");
}

template <class T>
const T& pick(bench::Rng& rng, const std::vector<T>& list) {
  return list[static_cast<std::size_t>(rng.below(static_cast<long>(list.size())))];
}

// `n` words: about 60% common, 35% from the long tail, `domain_share` percent of the domain.
std::string words(bench::Rng& rng, int n, int domain_share = 5) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i) out += ' ';
    auto r = rng.below(100);
    out += r < domain_share ? pick(rng, kDomain) : r < 60 ? pick(rng, kCommon) : rare_word(rng);
  }
  return out;
}

std::string sentence(bench::Rng& rng, int n, int domain_share = 5) {
  auto s = words(rng, n, domain_share);
  s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s + '.';
}

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

void step(const char* what, Clock::time_point& t) {
  std::printf("  %-44s %6.1f s\n", what, seconds_since(t));
  std::fflush(stdout);
  t = Clock::now();
}

struct IdeaRow {
  std::int64_t challenge;
  std::int64_t created;
};

void load(store::Store& store, const Options& o) {
  bench::Rng rng(42);
  const std::int64_t now = now_seconds();
  const std::int64_t day0 = now - 30 * 86400;
  const std::string day0_text = to_rfc3339(day0);

  std::ofstream sessions(o.sessions, std::ios::trunc);
  if (!sessions) throw std::runtime_error("cannot write " + o.sessions);

  store.write_sync([&](store::WriteTx& tx) {
    auto& c = tx.conn;
    c.exec("PRAGMA cache_size = -524288");  // 512 MiB while loading: the indexes are filled in random order
    auto t = Clock::now();

    // People: 1 admin, 20 design group members, the rest staff; one session each.
    auto user = c.prepare(
        "INSERT INTO users(id, email, password_hash, display_name, profession, organisation, role, created_at) "
        "VALUES (?, ?, 'bench: no password', ?, ?, ?, ?, ?)");
    auto session = c.prepare(
        "INSERT INTO sessions(token_hash, user_id, csrf_token, created_ts, last_seen_ts, expires_ts) "
        "VALUES (?, ?, ?, ?, ?, ?)");
    for (long u = 1; u <= o.users; ++u) {
      const char* role = u == 1 ? "admin" : u <= 21 ? "design_group" : "staff";
      user->bind(1, static_cast<std::int64_t>(u));
      user->bind(2, "user" + std::to_string(u) + "@bench.example");
      user->bind(3, "Bench Person " + std::to_string(u));
      user->bind(4, bench::pick_profession(rng));
      user->bind(5, "Organisation " + std::to_string(rng.below(40) + 1));
      user->bind(6, role);
      user->bind(7, to_rfc3339(day0 - 86400));
      user->exec();
      user->reset();
      auto token = auth::random_token(32);
      auto csrf = auth::random_token(24);
      auto hash = auth::sha256(token);
      session->bind(1, hash.data(), static_cast<int>(hash.size()));
      session->bind(2, static_cast<std::int64_t>(u));
      session->bind(3, csrf);
      session->bind(4, now);
      session->bind(5, now);
      session->bind(6, now + 12 * 3600);
      session->exec();
      session->reset();
      sessions << u << '\t' << role << '\t' << token << '\t' << csrf << '\n';
    }
    step("users and sessions", t);

    // Challenges: all open, up/down voting without a budget, one or two principles each.
    auto challenge = c.prepare(
        "INSERT INTO challenges(id, title, brief, status, voting_model, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, 'open', 'updown', 2, ?, ?)");
    auto principle = c.prepare("INSERT OR IGNORE INTO challenge_principles(challenge_id, principle_id) VALUES (?, ?)");
    for (long ch = 1; ch <= o.challenges; ++ch) {
      challenge->bind(1, static_cast<std::int64_t>(ch));
      challenge->bind(2, "How could we improve " + words(rng, 3, 50) + "?");
      challenge->bind(3, sentence(rng, 40));
      challenge->bind(4, day0_text);
      challenge->bind(5, day0_text);
      challenge->exec();
      challenge->reset();
      for (int k = 0, n = 1 + static_cast<int>(rng.below(2)); k < n; ++k) {
        principle->bind(1, static_cast<std::int64_t>(ch));
        principle->bind(2, static_cast<std::int64_t>(rng.below(5) + 1));
        principle->exec();
        principle->reset();
      }
    }

    // Ideas: challenge 1 holds 5% of them, the rest spread evenly. The search index is
    // filled by the schema's triggers, as on the write path.
    auto idea = c.prepare(
        "INSERT INTO ideas(id, challenge_id, author_id, title, body, tags, tags_text, anonymous, created_ts, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    auto history = c.prepare("INSERT INTO idea_history(idea_id, status, note, by_user_id, at) VALUES (?, 'new', '', NULL, ?)");
    auto follow = c.prepare("INSERT OR IGNORE INTO follows(user_id, target_type, target_id, active) VALUES (?, 'idea', ?, 1)");
    std::vector<IdeaRow> ideas(static_cast<std::size_t>(o.ideas) + 1);
    std::vector<std::vector<std::int64_t>> by_challenge(static_cast<std::size_t>(o.challenges) + 1);
    const long big = std::max(1L, o.ideas / 20);
    for (long i = 1; i <= o.ideas; ++i) {
      std::int64_t ch = i <= big ? 1 : 2 + (i % std::max(1L, o.challenges - 1));
      if (ch > o.challenges) ch = 1;
      auto author = rng.below(o.users) + 1;
      auto ts = day0 + rng.below(29 * 86400);
      auto when = to_rfc3339(ts);
      std::string tags = "[", tags_text;
      for (int k = 0, n = static_cast<int>(rng.below(3)); k < n; ++k) {
        const auto& tag = pick(rng, kTags);
        tags += (k ? ",\"" : "\"") + tag + "\"";
        tags_text += (k ? " " : "") + tag;
      }
      tags += "]";
      idea->bind(1, static_cast<std::int64_t>(i));
      idea->bind(2, ch);
      idea->bind(3, static_cast<std::int64_t>(author));
      idea->bind(4, sentence(rng, 4 + static_cast<int>(rng.below(6)), 15));
      idea->bind(5, sentence(rng, 25 + static_cast<int>(rng.below(50))));
      idea->bind(6, tags);
      idea->bind(7, tags_text);
      idea->bind(8, rng.below(10) == 0 ? 1 : 0);
      idea->bind(9, ts);
      idea->bind(10, when);
      idea->bind(11, when);
      idea->exec();
      idea->reset();
      history->bind(1, static_cast<std::int64_t>(i));
      history->bind(2, when);
      history->exec();
      history->reset();
      follow->bind(1, static_cast<std::int64_t>(author));
      follow->bind(2, static_cast<std::int64_t>(i));
      follow->exec();
      follow->reset();
      ideas[static_cast<std::size_t>(i)] = {ch, ts};
      by_challenge[static_cast<std::size_t>(ch)].push_back(i);
    }
    step("challenges, ideas and the search index", t);

    // Votes: a tenth on challenge 1, the rest over the others; within a challenge a few
    // ideas draw most of them. One vote per person per idea, as the schema demands. They
    // are drawn first and inserted in key order: a million random B-tree inserts would
    // take most of the load's time.
    struct Vote {
      std::int64_t user, idea, challenge, ts;
      int value;
    };
    std::vector<Vote> drawn;
    drawn.reserve(static_cast<std::size_t>(o.votes + o.votes / 20));
    auto by_key = [](const Vote& a, const Vote& b) { return std::tie(a.user, a.idea) < std::tie(b.user, b.idea); };
    auto same_key = [](const Vote& a, const Vote& b) { return a.user == b.user && a.idea == b.idea; };
    for (int pass = 0; static_cast<long>(drawn.size()) < o.votes; ++pass) {
      if (pass > 20) throw std::runtime_error("too many votes for so few people and ideas");
      for (long k = static_cast<long>(drawn.size()); k < o.votes + o.votes / 50 + 10; ++k) {
        std::int64_t ch = (o.challenges == 1 || rng.below(10) == 0) ? 1 : 2 + rng.below(o.challenges - 1);
        const auto& pool = by_challenge[static_cast<std::size_t>(ch)];
        if (pool.empty()) continue;
        auto id = pool[static_cast<std::size_t>(rng.skewed_below(static_cast<long>(pool.size())))];
        auto voter = rng.below(o.users) + 1;
        auto ts = std::min(now, ideas[static_cast<std::size_t>(id)].created + rng.below(86400 * 2));
        drawn.push_back({voter, id, ch, ts, rng.below(5) == 0 ? -1 : 1});
      }
      std::sort(drawn.begin(), drawn.end(), by_key);
      drawn.erase(std::unique(drawn.begin(), drawn.end(), same_key), drawn.end());
    }
    // Drop the surplus at random places, not from the end (which would spare high user ids).
    for (long surplus = static_cast<long>(drawn.size()) - o.votes; surplus > 0;) {
      auto& v = drawn[static_cast<std::size_t>(rng.below(static_cast<long>(drawn.size())))];
      if (v.user != 0) {
        v.user = 0;
        --surplus;
      }
    }
    drawn.erase(std::remove_if(drawn.begin(), drawn.end(), [](const Vote& v) { return v.user == 0; }), drawn.end());
    auto vote = c.prepare(
        "INSERT INTO votes(user_id, idea_id, challenge_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
    for (const auto& v : drawn) {
      auto when = to_rfc3339(v.ts);
      vote->bind(1, v.user);
      vote->bind(2, v.idea);
      vote->bind(3, v.challenge);
      vote->bind(4, v.value);
      vote->bind(5, when);
      vote->bind(6, when);
      vote->exec();
      vote->reset();
      follow->bind(1, v.user);
      follow->bind(2, v.idea);
      follow->exec();
      follow->reset();
    }
    step("votes and follows", t);

    auto comment = c.prepare("INSERT INTO comments(idea_id, author_id, body, created_at) VALUES (?, ?, ?, ?)");
    for (long k = 0; k < o.comments; ++k) {
      // Like the votes: a tenth on challenge 1, and the popular ideas draw most of them.
      std::int64_t ch = (o.challenges == 1 || rng.below(10) == 0) ? 1 : 2 + rng.below(o.challenges - 1);
      const auto& pool = by_challenge[static_cast<std::size_t>(ch)];
      if (pool.empty()) continue;
      auto id = pool[static_cast<std::size_t>(rng.skewed_below(static_cast<long>(pool.size())))];
      auto author = rng.below(o.users) + 1;
      auto ts = std::min(now, ideas[static_cast<std::size_t>(id)].created + rng.below(86400 * 3));
      comment->bind(1, static_cast<std::int64_t>(id));
      comment->bind(2, static_cast<std::int64_t>(author));
      comment->bind(3, sentence(rng, 8 + static_cast<int>(rng.below(30))));
      comment->bind(4, to_rfc3339(ts));
      comment->exec();
      comment->reset();
      follow->bind(1, static_cast<std::int64_t>(author));
      follow->bind(2, static_cast<std::int64_t>(id));
      follow->exec();
      follow->reset();
    }
    step("comments", t);

    // What the write path keeps in step, recomputed from the rows.
    c.exec(
        "INSERT OR IGNORE INTO challenge_participants(challenge_id, user_id, first_at) "
        "SELECT challenge_id, user_id, min(at) FROM ("
        "  SELECT challenge_id, author_id AS user_id, created_at AS at FROM ideas"
        "  UNION ALL SELECT challenge_id, user_id, created_at FROM votes"
        "  UNION ALL SELECT i.challenge_id, m.author_id, m.created_at FROM comments m JOIN ideas i ON i.id = m.idea_id"
        ") GROUP BY challenge_id, user_id");
    c.exec(
        "UPDATE ideas SET up_votes = v.up, down_votes = v.down, score = v.up - v.down FROM ("
        "  SELECT idea_id, sum(value = 1) AS up, sum(value = -1) AS down FROM votes GROUP BY idea_id) v "
        "WHERE v.idea_id = ideas.id");
    c.exec(
        "UPDATE ideas SET comment_count = m.n FROM (SELECT idea_id, count(*) AS n FROM comments GROUP BY idea_id) m "
        "WHERE m.idea_id = ideas.id");
    c.exec(
        "UPDATE challenges SET "
        "idea_count = (SELECT count(*) FROM ideas i WHERE i.challenge_id = challenges.id), "
        "comment_count = (SELECT coalesce(sum(i.comment_count), 0) FROM ideas i WHERE i.challenge_id = challenges.id), "
        "vote_count = (SELECT count(*) FROM votes v WHERE v.challenge_id = challenges.id), "
        "participant_count = (SELECT count(*) FROM challenge_participants p WHERE p.challenge_id = challenges.id)");
    step("participants and counters", t);
  });
  sessions.flush();
  if (!sessions) throw std::runtime_error("cannot write " + o.sessions);
}

}  // namespace

int main(int argc, char** argv) {
  auto o = parse(argc, argv);
  std::printf("bench_dataset: %ld users, %ld challenges, %ld ideas, %ld votes, %ld comments -> %s\n", o.users,
              o.challenges, o.ideas, o.votes, o.comments, o.db.c_str());
  try {
    auto t0 = Clock::now();
    {
      store::Store store(store::StoreOptions{o.db});
      load(store, o);
    }
    std::printf("loaded in %.1f s (one transaction), %.0f MiB on disk\n", seconds_since(t0),
                static_cast<double>(std::filesystem::file_size(o.db)) / (1 << 20));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_dataset: %s\n", e.what());
    return 1;
  }
  return 0;
}
