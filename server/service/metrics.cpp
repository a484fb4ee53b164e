#include "service/metrics.hpp"

#include <map>
#include <set>
#include <unordered_map>

#include "common/clock.hpp"
#include "common/csv.hpp"
#include "domain/error.hpp"
#include "domain/idea.hpp"
#include "domain/metrics.hpp"
#include "store/challenges_repo.hpp"
#include "store/metrics_repo.hpp"
#include "store/principles_repo.hpp"

namespace cc::service {

using Json = nlohmann::json;

namespace {

constexpr domain::IdeaStatus kStatuses[] = {domain::IdeaStatus::new_,        domain::IdeaStatus::under_review,
                                            domain::IdeaStatus::shortlisted, domain::IdeaStatus::forwarded,
                                            domain::IdeaStatus::adopted,     domain::IdeaStatus::not_progressed,
                                            domain::IdeaStatus::merged};

struct Tally {
  std::int64_t participants = 0, ideas = 0, comments = 0, votes = 0;
};

// Names (professions, organisations) numbered as they are first seen, each with its tally.
struct Groups {
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::string> names;
  std::vector<Tally> tallies;
  std::size_t id(const std::string& name) {
    auto [it, added] = index.try_emplace(name, names.size());
    if (added) {
      names.push_back(name);
      tallies.emplace_back();
    }
    return it->second;
  }
  std::map<std::string, Tally> sorted() const {
    std::map<std::string, Tally> out;
    for (std::size_t i = 0; i < names.size(); ++i) out[names[i]] = tallies[i];
    return out;
  }
};

Json opt(const std::optional<double>& v) { return v ? Json(*v) : Json(); }

Json tally_json(const Tally& t) {
  return {{"participants", t.participants}, {"ideas", t.ideas}, {"comments", t.comments}, {"votes", t.votes}};
}

domain::Challenge load_challenge(store::Connection& c, std::int64_t id) {
  auto ch = store::find_challenge(c, id);
  if (!ch) throw domain::not_found("challenge");
  return *ch;
}

Json challenge_ref(const domain::Challenge& ch) {
  return {{"id", ch.id}, {"title", ch.title}, {"status", domain::to_string(ch.status)}, {"principle_ids", ch.principle_ids}};
}

std::string tags_text(const std::string& tags_json) {
  auto j = Json::parse(tags_json, nullptr, false);
  std::string out;
  if (!j.is_array()) return out;
  for (const auto& t : j)
    if (t.is_string()) out += (out.empty() ? "" : "; ") + t.get<std::string>();
  return out;
}

}  // namespace

Json ImpactMetrics::challenge(std::int64_t challenge_id) {
  auto& c = store_.reader();
  store::ReadTx read(c);
  auto ch = load_challenge(c, challenge_id);
  auto baseline = settings_.workforce_baseline();

  // Professions and organisations are interned once; each contribution then costs an
  // integer lookup, not string comparisons (a challenge may have tens of thousands of rows).
  Groups professions_seen, organisations_seen;
  struct Person {
    std::size_t profession, organisation;
  };
  std::unordered_map<std::int64_t, Person> people;
  struct Day {
    std::int64_t ideas = 0, comments = 0, votes = 0, participants = 0;
  };
  std::unordered_map<std::string, Day> day_map;
  Tally total;

  auto participants = store::participant_facts(c, challenge_id);
  people.reserve(participants.size());
  for (const auto& p : participants) {
    Person who{professions_seen.id(p.profession), organisations_seen.id(p.organisation)};
    people.emplace(p.user_id, who);
    auto& bp = professions_seen.tallies[who.profession];
    auto& bo = organisations_seen.tallies[who.organisation];
    ++bp.participants;
    ++bo.participants;
    bp.votes += p.votes;
    bo.votes += p.votes;
    ++day_map[p.first_date].participants;
    ++total.participants;
  }
  // Someone who contributed without a participant row (never left by the services).
  auto person = [&](std::int64_t user_id) -> Person {
    auto it = people.find(user_id);
    if (it != people.end()) return it->second;
    auto found = store::profession_of(c, user_id);
    Person who{professions_seen.id(found ? found->first : "other"), organisations_seen.id(found ? found->second : "")};
    people.emplace(user_id, who);
    return who;
  };

  std::map<std::string, std::int64_t> funnel;
  for (auto s : kStatuses) funnel[std::string(domain::to_string(s))] = 0;
  for (const auto& i : store::idea_facts(c, challenge_id)) {
    ++funnel[i.status];
    if (i.status == "merged") continue;
    auto who = person(i.author_id);
    ++professions_seen.tallies[who.profession].ideas;
    ++organisations_seen.tallies[who.organisation].ideas;
    ++day_map[i.date].ideas;
    ++total.ideas;
  }
  for (const auto& cm : store::comment_facts(c, challenge_id)) {
    auto who = person(cm.author_id);
    ++professions_seen.tallies[who.profession].comments;
    ++organisations_seen.tallies[who.organisation].comments;
    ++day_map[cm.date].comments;
    ++total.comments;
  }
  for (const auto& [day, n] : store::votes_by_day(c, challenge_id)) {
    day_map[day].votes += n;
    total.votes += n;
  }
  std::map<std::string, Tally> by_profession = professions_seen.sorted(), by_organisation = organisations_seen.sorted();
  std::map<std::string, Day> days(day_map.begin(), day_map.end());

  // Every profession with participants or contributions, and every one with a baseline share.
  std::map<std::string, std::optional<double>> baseline_share;
  if (baseline.is_object())
    for (auto& [k, v] : baseline.items())
      if (v.is_number()) baseline_share[k] = v.get<double>();
  for (const auto& [k, v] : baseline_share) by_profession.try_emplace(k);

  Json professions = Json::object();
  Json under = Json::array();
  std::vector<std::int64_t> counts;
  for (const auto& [name, t] : by_profession) {
    auto share = domain::ratio(static_cast<double>(t.participants), static_cast<double>(total.participants));
    std::optional<double> base;
    if (auto it = baseline_share.find(name); it != baseline_share.end()) base = it->second;
    std::optional<double> representation;
    if (share && base) representation = domain::ratio(*share, *base);
    Json j = tally_json(t);
    j["share"] = opt(share);
    j["baseline_share"] = opt(base);
    j["representation"] = opt(representation);
    professions[name] = std::move(j);
    if (representation && *representation < domain::kUnderRepresented) under.push_back(name);
    if (t.participants > 0) counts.push_back(t.participants);
  }

  Json organisations = Json::object();
  for (const auto& [name, t] : by_organisation) {
    Json j = tally_json(t);
    j["share"] = opt(domain::ratio(static_cast<double>(t.participants), static_cast<double>(total.participants)));
    organisations[name] = std::move(j);
  }

  Json daily = Json::array();
  if (!days.empty()) {
    // Every day from the first to the last active one; any active day outside the range
    // (there is none unless dates are malformed) still appears.
    for (const auto& d : domain::date_range(days.begin()->first, days.rbegin()->first)) days.try_emplace(d);
    for (const auto& [date, d] : days)
      daily.push_back({{"date", date}, {"ideas", d.ideas}, {"comments", d.comments}, {"votes", d.votes},
                       {"participants", d.participants}});
  }

  return {{"challenge", challenge_ref(ch)},
          {"participants", total.participants},
          {"ideas", total.ideas},
          {"comments", total.comments},
          {"votes", total.votes},
          {"by_profession", std::move(professions)},
          {"by_organisation", std::move(organisations)},
          {"daily", std::move(daily)},
          {"funnel", funnel},
          {"diversity",
           {{"professions", static_cast<std::int64_t>(counts.size())},
            {"evenness", opt(domain::evenness(counts))},
            {"under_represented", std::move(under)}}},
          {"baseline_set", !baseline_share.empty()},
          {"generated_at", now_rfc3339()}};
}

Json ImpactMetrics::overview() {
  auto& c = store_.reader();
  store::ReadTx read(c);

  // Waiting times for a first status change, overall and per challenge.
  std::vector<double> all_hours;
  std::map<std::int64_t, std::vector<double>> hours_by_challenge;
  for (const auto& w : store::first_change_waits(c)) {
    double h = w.seconds / 3600.0;
    all_hours.push_back(h);
    hours_by_challenge[w.challenge_id].push_back(h);
  }
  std::map<std::int64_t, std::int64_t> waiting_by_challenge;
  std::int64_t waiting = 0;
  for (const auto& [id, n] : store::ideas_waiting_by_challenge(c)) {
    waiting_by_challenge[id] = n;
    waiting += n;
  }

  Json principles = Json::array();
  Json gaps = Json::array();
  auto facts = store::principle_facts(c);
  for (const auto& p : store::list_principles(c)) {
    store::PrincipleFact f;
    for (const auto& x : facts)
      if (x.principle_id == p.id) f = x;
    Json ref = {{"id", p.id}, {"code", p.code}, {"title", p.title}};
    Json j = ref;
    j["challenges"] = f.challenges;
    j["open_challenges"] = f.open_challenges;
    j["ideas"] = f.ideas;
    j["comments"] = f.comments;
    j["votes"] = f.votes;
    j["participants"] = f.participants;
    j["has_open_challenge"] = f.open_challenges > 0;
    principles.push_back(std::move(j));
    if (f.open_challenges == 0) gaps.push_back(std::move(ref));
  }

  Json challenges = Json::array();
  std::int64_t open = 0, ideas = 0, comments = 0, votes = 0, count = 0;
  std::int64_t before = 0;
  for (;;) {
    store::ChallengeFilter f;
    f.include_drafts = true;
    f.before_id = before;
    f.limit = 500;
    auto page = store::list_challenges(c, f);
    for (const auto& ch : page) {
      Json j = challenge_ref(ch);
      j["ideas"] = ch.counts.ideas;
      j["comments"] = ch.counts.comments;
      j["votes"] = ch.counts.votes;
      j["participants"] = ch.counts.participants;
      auto hw = hours_by_challenge.find(ch.id);
      j["median_hours_to_first_status_change"] =
          opt(hw == hours_by_challenge.end() ? std::nullopt : domain::median(hw->second));
      auto wt = waiting_by_challenge.find(ch.id);
      j["ideas_waiting"] = wt == waiting_by_challenge.end() ? 0 : wt->second;
      challenges.push_back(std::move(j));
      ++count;
      open += ch.status == domain::ChallengeStatus::open;
      ideas += ch.counts.ideas;
      comments += ch.counts.comments;
      votes += ch.counts.votes;
    }
    if (static_cast<int>(page.size()) < f.limit) break;
    before = page.back().id;
  }
  // Oldest first, as a report reads.
  std::reverse(challenges.begin(), challenges.end());

  auto changed = static_cast<std::int64_t>(all_hours.size());
  return {{"principles", std::move(principles)},
          {"principles_without_open_challenge", std::move(gaps)},
          {"challenges", std::move(challenges)},
          {"totals",
           {{"challenges", count},
            {"open_challenges", open},
            {"ideas", ideas},
            {"comments", comments},
            {"votes", votes},
            {"participants", store::distinct_participants(c)}}},
          {"first_status_change",
           {{"median_hours", opt(domain::median(std::move(all_hours)))},
            {"ideas_changed", changed},
            {"ideas_waiting", waiting}}},
          {"generated_at", now_rfc3339()}};
}

std::string ImpactMetrics::ideas_csv(std::int64_t challenge_id) {
  auto& c = store_.reader();
  store::ReadTx read(c);
  load_challenge(c, challenge_id);
  csv::Writer w;
  for (const char* h : {"id", "title", "status", "score", "up", "down", "comments", "profession", "created_at",
                        "updated_at", "anonymous", "hidden", "merged_into_id", "status_note", "tags", "body"})
    w.text(h);
  w.end_row();
  for (const auto& r : store::export_rows(c, challenge_id)) {
    w.number(r.id).text(r.title).text(r.status).number(r.score).number(r.up).number(r.down).number(r.comments);
    w.text(r.profession).text(r.created_at).text(r.updated_at);
    w.text(r.anonymous ? "yes" : "no").text(r.hidden ? "yes" : "no");
    if (r.merged_into_id) w.number(*r.merged_into_id); else w.text("");
    w.text(r.status_note).text(tags_text(r.tags)).text(r.body).end_row();
  }
  return w.take();
}

Json ImpactMetrics::ideas_json(std::int64_t challenge_id) {
  auto& c = store_.reader();
  store::ReadTx read(c);
  auto ch = load_challenge(c, challenge_id);
  Json ideas = Json::array();
  for (const auto& r : store::export_rows(c, challenge_id)) {
    auto tags = Json::parse(r.tags, nullptr, false);
    ideas.push_back({{"id", r.id},
                     {"title", r.title},
                     {"status", r.status},
                     {"score", r.score},
                     {"up", r.up},
                     {"down", r.down},
                     {"comments", r.comments},
                     {"profession", r.profession},
                     {"created_at", r.created_at},
                     {"updated_at", r.updated_at},
                     {"anonymous", r.anonymous},
                     {"hidden", r.hidden},
                     {"merged_into_id", r.merged_into_id ? Json(*r.merged_into_id) : Json()},
                     {"status_note", r.status_note},
                     {"tags", tags.is_array() ? tags : Json::array()},
                     {"body", r.body}});
  }
  return {{"challenge", challenge_ref(ch)}, {"ideas", std::move(ideas)}};
}

}  // namespace cc::service
