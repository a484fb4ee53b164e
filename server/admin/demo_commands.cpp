// carecrowd-admin demo-data: a small, believable deployment to explore — users across
// professions, challenges linked to the principles, ideas, comments, votes and a
// workshop queue — created through the same services the server uses.
#include <cstdio>
#include <future>
#include <nlohmann/json.hpp>

#include "admin/cli.hpp"
#include "auth/crypto.hpp"
#include "auth/password_hasher.hpp"
#include "common/clock.hpp"
#include "domain/error.hpp"
#include "service/challenges.hpp"
#include "service/comments.hpp"
#include "service/ideas.hpp"
#include "service/settings.hpp"
#include "service/workshops.hpp"
#include "store/users_repo.hpp"

namespace cc::admin {

namespace {

template <class T, class F>
T await(F&& start) {
  std::promise<T> p;
  auto f = p.get_future();
  start([&p](service::Outcome<T> o) {
    if (o.error) p.set_exception(o.error);
    else p.set_value(std::move(*o.value));
  });
  return f.get();
}

struct Person {
  const char* name;
  const char* email;
  const char* profession;
  const char* organisation;
  domain::Role role;
};

int demo_data(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"demo-data",
            "Adds demonstration users, challenges, ideas, comments, votes and a workshop. Prints the\n"
            "passwords of the design group lead and the admin once. Refuses a database that has\n"
            "challenges already.\n",
            {}, {}};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  auto store = ctx.open(true, true);
  if (store->reader().scalar_int("SELECT count(*) FROM challenges") > 0)
    throw Failure("this database already has challenges; demo data goes into an empty one");

  const Person people[] = {
      {"Dr Amina Shah", "amina.shah@example.nhs.uk", "medical", "Riverside Primary Care Network", domain::Role::design_group},
      {"Sam Admin", "admin@example.nhs.uk", "management", "Integrated Care Board", domain::Role::admin},
      {"Grace Okafor", "grace.okafor@example.nhs.uk", "nursing", "Community Health Trust", domain::Role::staff},
      {"Tom Ellis", "tom.ellis@example.org", "social_work", "City Council Adult Social Care", domain::Role::staff},
      {"Priya Patel", "priya.patel@example.nhs.uk", "pharmacy", "Riverside Primary Care Network", domain::Role::staff},
      {"Owen Jones", "owen.jones@example.nhs.uk", "paramedic", "Regional Ambulance Service", domain::Role::staff},
      {"Maria Silva", "maria.silva@example.org", "social_care", "Oakwood Care Home", domain::Role::staff},
      {"Ben Carter", "ben.carter@example.nhs.uk", "allied_health", "Acute Hospitals Trust", domain::Role::staff},
      {"Lucy Green", "lucy.green@example.nhs.uk", "midwifery", "Acute Hospitals Trust", domain::Role::staff},
  };
  auto hasher = auth::PasswordHasher(auth::load_or_create_pepper(ctx.pepper_path()), auth::HashCost{});
  std::vector<domain::Viewer> users;
  std::vector<std::pair<std::string, std::string>> shown;
  for (const auto& p : people) {
    auto password = auth::random_token(18);
    domain::NewUser u{p.email, password, p.name, p.profession, p.organisation, std::nullopt, p.role};
    auto hash = hasher.hash(password);
    std::int64_t id = 0;
    store->write_sync([&](store::WriteTx& tx) { id = store::insert_user(tx.conn, u, hash, now_rfc3339()); });
    users.push_back({id, p.role});
    if (p.role != domain::Role::staff || shown.size() < 3) shown.emplace_back(p.email, password);
  }
  store->write_sync([](store::WriteTx& tx) {
    service::Settings::put(tx.conn, "workforce.baseline",
                           R"({"medical":0.12,"nursing":0.3,"midwifery":0.03,"allied_health":0.1,"pharmacy":0.04,)"
                           R"("paramedic":0.03,"social_work":0.05,"social_care":0.25,"management":0.05,"other":0.03})");
  });

  // From here on the services do the work, with the writer thread of this process.
  store->start(nullptr);
  service::Settings settings(*store);
  service::Challenges challenges(*store, settings);
  service::Ideas ideas(*store);
  service::Comments comments(*store);
  service::Workshops workshops(*store);
  challenges.on_close([](store::WriteTx& tx, const domain::Challenge& ch, std::int64_t actor) {
    service::Workshops::apply_rule(tx, ch, actor);
  });
  const auto& lead = users[0];

  domain::Workshop w;
  w.title = "Design group workshop 1: decision-making";
  w.description = "The first of three full-day workshops. The top ideas from the crowd come here.";
  w.scheduled_at = to_rfc3339(now_seconds() + 14 * 86400);
  auto workshop = await<domain::Workshop>([&](auto then) { workshops.create(lead, w, then); });

  struct Seed {
    const char* title;
    const char* brief;
    std::vector<std::int64_t> principles;
    std::vector<std::pair<const char*, const char*>> ideas;
  };
  const Seed seeds[] = {
      {"How can frontline staff have a real say in system decisions?",
       "Decisions about services are often made far from the people who deliver them. What would help every "
       "profession, from care homes to hospitals, take part in decision-making at every level?",
       {1},
       {{"Rotate a care-home seat on the partnership board", "Each quarter a different care home sends someone, with cover paid for."},
        {"Publish board papers in plain words", "A one-page plain-words summary with every paper, so anyone can follow and respond."},
        {"Open 'listening hours' with system leaders", "Monthly drop-in sessions, online and in person, at times shift workers can make."}}},
      {"What would make protected time for leadership work actually happen?",
       "Many of us are asked to lead change on top of a full caseload. Tell us what protected time, support and "
       "infrastructure would look like for you.",
       {3, 4},
       {{"Backfill funding that follows the person", "Fund cover for the hours, not the role, so part-time staff can take part too."},
        {"Shared calendar of leadership sessions", "One place to see every session across organisations, with recordings."}}},
      {"How do we learn from each other across organisations?",
       "Good ideas in one place rarely travel. How could we share learning between health, social care, the "
       "voluntary sector and our communities?",
       {2},
       {{"Swap shadowing days between sectors", "A nurse spends a day in a care home, a care worker a day on a ward."}}},
  };
  std::vector<std::int64_t> idea_ids;
  std::int64_t first_challenge = 0;
  for (const auto& s : seeds) {
    domain::ChallengePatch p;
    p.title = s.title;
    p.brief = s.brief;
    p.principle_ids = s.principles;
    p.status = domain::ChallengeStatus::open;
    p.closes_at = std::optional<std::string>(to_rfc3339(now_seconds() + 28 * 86400));
    p.forward = domain::ForwardRule{3, 1, workshop.id};
    auto ch = await<domain::Challenge>([&](auto then) { challenges.create(lead, p, then); });
    if (!first_challenge) first_challenge = ch.id;
    std::size_t k = 0;
    for (const auto& [title, body] : s.ideas) {
      const auto& author = users[2 + (k++ + ch.id) % (users.size() - 2)];
      domain::NewIdea idea{title, body, {"demo"}, k == 2};
      auto created = await<domain::Idea>([&](auto then) { ideas.create(author, ch.id, idea, false, then); });
      idea_ids.push_back(created.id);
    }
  }
  // Votes and comments from across the professions.
  for (std::size_t i = 0; i < idea_ids.size(); ++i) {
    for (std::size_t u = 2; u < users.size(); ++u) {
      if ((i + u) % 3 == 0) continue;
      await<domain::IdeaTally>([&](auto then) { ideas.vote(users[u], idea_ids[i], 1, then); });
    }
  }
  await<domain::Comment>([&](auto then) {
    comments.create(users[3], idea_ids[0], "In adult social care we'd need the cover arranged a month ahead.", std::nullopt,
                    false, then);
  });
  await<domain::Comment>([&](auto then) {
    comments.create(users[6], idea_ids[1], "Yes please - and an audio version for people on the road.", std::nullopt, false, then);
  });
  await<service::ForwardResult>([&](auto then) { workshops.forward_challenge(lead, first_challenge, then); });
  store->stop();

  std::printf("demo data added: %zu users, 3 challenges, %zu ideas, a workshop with the top ideas queued\n",
              users.size(), idea_ids.size());
  std::printf("sign in with (passwords shown once):\n");
  for (const auto& [email, password] : shown) std::printf("  %-32s %s\n", email.c_str(), password.c_str());
  return 0;
}

}  // namespace

void register_demo_commands() { registry().push_back({"", "demo-data", "add demonstration data to an empty database", demo_data}); }

}  // namespace cc::admin
