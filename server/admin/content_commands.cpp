// carecrowd-admin principle list|edit, challenge import|list, workshop create|list
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>
#include <sstream>

#include "admin/cli.hpp"
#include "common/clock.hpp"
#include "domain/error.hpp"
#include "domain/settings.hpp"
#include "domain/text.hpp"
#include "domain/workshop.hpp"
#include "json/domain_json.hpp"
#include "json/request_json.hpp"
#include "service/challenges.hpp"
#include "service/events.hpp"
#include "service/settings.hpp"
#include "service/workshops.hpp"
#include "store/challenges_repo.hpp"
#include "store/principles_repo.hpp"
#include "store/workshops_repo.hpp"

namespace cc::admin {

namespace {

using Json = nlohmann::json;

// ---------------------------------------------------------------------------- principles

domain::Principle find_principle(store::Store& s, const std::string& ref) {
  for (const auto& p : store::list_principles(s.reader()))
    if (p.code == ref || std::to_string(p.id) == ref) return p;
  throw UsageError("no principle " + ref + " (use P1..P5 or 1..5)");
}

Json principle_json(const domain::Principle& p) {
  return {{"id", p.id}, {"code", p.code}, {"title", p.title}, {"summary", p.summary}};
}

int principle_list(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"principle list [--json]", "Lists the five principles with their titles and summaries.\n", {}, {}};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  auto store = ctx.open();
  auto list = store::list_principles(store->reader());
  if (want_json(ctx, args)) {
    Json items = Json::array();
    for (const auto& p : list) items.push_back(principle_json(p));
    std::printf("%s\n", Json{{"items", items}}.dump().c_str());
    return 0;
  }
  for (const auto& p : list) std::printf("%s  %s\n    %s\n", p.code.c_str(), p.title.c_str(), p.summary.c_str());
  return 0;
}

int principle_edit(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"principle edit P1..P5 [--title T] [--summary S]",
            "Changes a principle's short title (3-140 characters) and/or its summary (1-5000).\n"
            "The five principles always exist; they cannot be added or removed.\n",
            {"title", "summary"}, {}, 1, 1};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  if (!args.has("title") && !args.has("summary")) throw UsageError("nothing to change: give --title and/or --summary");
  auto store = ctx.open();
  auto p = find_principle(*store, args.positional[0]);
  if (args.has("title")) p.title = args.value("title");
  if (args.has("summary")) p.summary = args.value("summary");
  try {
    domain::check_text("title", p.title, 3, 140);
    domain::check_text("summary", p.summary, 1, 5000, true);
  } catch (const domain::Error& e) {
    throw UsageError("--" + e.field() + ": " + e.what());
  }
  store->write_sync([&](store::WriteTx& tx) { store::update_principle(tx.conn, p); });
  if (want_json(ctx, args)) std::printf("%s\n", Json{{"principle", principle_json(p)}}.dump().c_str());
  else std::printf("%s updated: %s\n", p.code.c_str(), p.title.c_str());
  return 0;
}

// ---------------------------------------------------------------------------- challenges

const char* kImportHelp =
    "Adds the challenges described in a JSON file, all in one transaction: the whole file is\n"
    "checked first, and if any entry is wrong nothing is written and the error names the\n"
    "entry and the field. The file is {\"challenges\": [ENTRY, ...]} (or just [ENTRY, ...]);\n"
    "an ENTRY has the fields of POST /api/v1/challenges:\n"
    "  title          3-140 characters (required)\n"
    "  brief          up to 5000 characters\n"
    "  principles     codes, e.g. [\"P1\", \"P3\"] - or principle_ids: [1, 3] (one or more)\n"
    "  status         \"draft\" (the default) or \"open\"\n"
    "  opens_at       RFC 3339 time a draft opens by itself, e.g. \"2026-12-01T09:00:00Z\"\n"
    "  closes_at      RFC 3339 time it closes by itself (after opens_at)\n"
    "  voting         {\"model\": \"up\"|\"updown\", \"votes_per_user\": null|N}\n"
    "  forward        {\"top_n\": N, \"min_votes\": N, \"workshop_id\": null|ID}\n"
    "Rules left out take the defaults of the settings voting.default and forward.default.\n"
    "See config/challenges.example.json.\n"
    "  --dry-run        check the file and report, write nothing\n"
    "  --skip-existing  leave out entries whose title an existing challenge has (otherwise\n"
    "                   such an entry is an error, so importing a file twice adds nothing)\n";

struct Entry {
  std::string label;  // "entry 2 (\"Title\")"
  domain::Challenge challenge;
  bool skip = false;
};

[[noreturn]] void entry_error(const std::string& label, const std::string& field, const std::string& message) {
  throw Failure(label + ", field " + field + ": " + message);
}

std::vector<Entry> read_entries(store::Connection& c, const std::string& path, bool skip_existing) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Failure("cannot read " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  Json doc;
  try {
    doc = Json::parse(buf.str());
  } catch (const Json::parse_error& e) {
    throw Failure(path + " is not valid JSON: " + e.what());
  }
  const Json* list = &doc;
  if (doc.is_object()) {
    if (!doc.contains("challenges") || doc.size() != 1)
      throw Failure(path + ": expected {\"challenges\": [...]} or a list of challenges");
    list = &doc["challenges"];
  }
  if (!list->is_array()) throw Failure(path + ": \"challenges\" must be a list");
  if (list->empty()) throw Failure(path + ": there are no challenges in the file");

  std::map<std::string, std::int64_t> codes;
  for (const auto& p : store::list_principles(c)) codes[p.code] = p.id;
  const auto voting_default = domain::parse_voting_default(service::Settings::get(c, "voting.default"));
  const auto forward_default = domain::parse_forward_default(service::Settings::get(c, "forward.default"));
  std::map<std::string, std::int64_t> existing;
  {
    auto st = c.prepare("SELECT title, id FROM challenges");
    while (st->executeStep()) existing[st->getColumn(0).getString()] = st->getColumn(1).getInt64();
  }
  static const std::set<std::string> known = {"title",  "brief",     "principles", "principle_ids", "status",
                                              "opens_at", "closes_at", "voting",     "forward"};
  std::vector<Entry> out;
  std::map<std::string, std::string> titles_in_file;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& e = (*list)[i];
    Entry entry;
    entry.label = "entry " + std::to_string(i + 1);
    if (e.is_object() && e.contains("title") && e["title"].is_string())
      entry.label += " (\"" + e["title"].get<std::string>() + "\")";
    if (!e.is_object()) entry_error(entry.label, "-", "an entry must be a JSON object");
    for (const auto& [k, v] : e.items())
      if (!known.count(k)) entry_error(entry.label, k, "unknown field (see challenge import --help)");
    Json body = e;
    try {
      if (body.contains("principles")) {
        if (body.contains("principle_ids")) entry_error(entry.label, "principles", "give principles or principle_ids, not both");
        const auto& ps = body["principles"];
        if (!ps.is_array()) entry_error(entry.label, "principles", "must be a list of codes such as \"P1\"");
        Json ids = Json::array();
        for (const auto& p : ps) {
          if (!p.is_string() || !codes.count(p.get<std::string>()))
            entry_error(entry.label, "principles", "unknown principle " + p.dump() + " (use P1..P5)");
          ids.push_back(codes[p.get<std::string>()]);
        }
        body.erase("principles");
        body["principle_ids"] = ids;
      }
      auto patch = json::challenge_patch_from_json(body);
      if (!patch.title) entry_error(entry.label, "title", "title is required");
      if (!patch.principle_ids) entry_error(entry.label, "principles", "choose at least one principle");
      auto& ch = entry.challenge;
      ch.status = domain::ChallengeStatus::draft;
      ch.voting = voting_default;
      ch.forward = forward_default;
      if (patch.status) {
        if (*patch.status != domain::ChallengeStatus::draft && *patch.status != domain::ChallengeStatus::open)
          entry_error(entry.label, "status", "a new challenge starts as draft or open");
        ch.status = *patch.status;
      }
      domain::apply_and_validate(ch, patch);
    } catch (const domain::Error& err) {
      auto field = err.field().empty() ? std::string("-") : err.field();
      if (field == "principle_ids" && e.contains("principles")) field = "principles";
      entry_error(entry.label, field, err.what());
    }
    auto& ch = entry.challenge;
    if (ch.forward.workshop_id && !store::find_workshop(c, *ch.forward.workshop_id))
      entry_error(entry.label, "forward", "forward.workshop_id " + std::to_string(*ch.forward.workshop_id) + " names no workshop");
    if (auto dup = titles_in_file.find(ch.title); dup != titles_in_file.end())
      entry_error(entry.label, "title", "the same title as " + dup->second);
    titles_in_file[ch.title] = entry.label;
    if (auto it = existing.find(ch.title); it != existing.end()) {
      if (!skip_existing)
        entry_error(entry.label, "title",
                    "challenge " + std::to_string(it->second) + " has this title already (use --skip-existing to leave it out)");
      entry.skip = true;
    }
    out.push_back(std::move(entry));
  }
  return out;
}

int challenge_import(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"challenge import FILE.json [--dry-run] [--skip-existing]", kImportHelp, {}, {"dry-run", "skip-existing"}, 1, 1};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  auto store = ctx.open();
  auto entries = read_entries(store->reader(), args.positional[0], args.flags.count("skip-existing") > 0);
  std::vector<domain::Challenge> added;
  std::size_t skipped = 0;
  for (const auto& e : entries) skipped += e.skip;
  if (!args.flags.count("dry-run")) {
    try {
      store->write_sync([&](store::WriteTx& tx) {
        added.clear();
        for (const auto& e : entries) {
          if (e.skip) continue;
          added.push_back(service::Challenges::insert(tx, e.challenge));
        }
      });
    } catch (const std::exception& e) {
      throw Failure(std::string("nothing was imported: ") + e.what());
    }
  }
  if (want_json(ctx, args)) {
    Json items = Json::array();
    for (const auto& c : added) items.push_back(cc::json::challenge_json(c));
    std::printf("%s\n", Json{{"imported", items}, {"skipped", skipped}, {"checked", entries.size()},
                             {"dry_run", args.flags.count("dry-run") > 0}}.dump().c_str());
    return 0;
  }
  if (args.flags.count("dry-run")) {
    std::printf("%s is valid: %zu challenge(s) would be imported, %zu skipped\n", args.positional[0].c_str(),
                entries.size() - skipped, skipped);
    return 0;
  }
  for (const auto& c : added)
    std::printf("imported challenge %lld (%s): %s\n", static_cast<long long>(c.id),
                std::string(domain::to_string(c.status)).c_str(), c.title.c_str());
  std::printf("%zu imported, %zu skipped\n", added.size(), skipped);
  return 0;
}

int challenge_list(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"challenge list [--status draft|open|closed|archived] [--json]", "Lists challenges, newest first, drafts included.\n",
            {"status"}, {}};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  store::ChallengeFilter f;
  f.include_drafts = true;
  f.limit = 1000000;
  if (args.has("status")) {
    f.status = domain::parse_challenge_status(args.value("status"));
    if (!f.status) throw UsageError("--status must be draft, open, closed or archived");
  }
  auto store = ctx.open();
  auto list = store::list_challenges(store->reader(), f);
  if (want_json(ctx, args)) {
    Json items = Json::array();
    for (const auto& c : list) items.push_back(cc::json::challenge_json(c));
    std::printf("%s\n", Json{{"items", items}}.dump().c_str());
    return 0;
  }
  if (list.empty()) {
    std::printf("no challenges yet (add some with: carecrowd-admin challenge import --help)\n");
    return 0;
  }
  std::printf("%-6s %-9s %-10s %6s %6s %7s  %s\n", "ID", "STATUS", "PRINCIPLES", "IDEAS", "VOTES", "PEOPLE", "TITLE");
  for (const auto& c : list) {
    std::string ps;
    for (auto p : c.principle_ids) ps += (ps.empty() ? "P" : ",P") + std::to_string(p);
    std::printf("%-6lld %-9s %-10s %6lld %6lld %7lld  %s\n", static_cast<long long>(c.id),
                std::string(domain::to_string(c.status)).c_str(), ps.c_str(), static_cast<long long>(c.counts.ideas),
                static_cast<long long>(c.counts.votes), static_cast<long long>(c.counts.participants), c.title.c_str());
  }
  return 0;
}

// ---------------------------------------------------------------------------- workshops

int workshop_create(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"workshop create --title T [--description D] [--scheduled-at TIME] [--json]",
            "Adds a design group workshop (status planned). TIME is RFC 3339, e.g. 2026-12-01T09:00:00Z.\n"
            "Challenges forward their top ideas into it through forward.workshop_id.\n",
            {"title", "description", "scheduled-at"}, {}};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  domain::Workshop w;
  w.title = args.value("title");
  w.description = args.value_or("description", "");
  if (args.has("scheduled-at")) w.scheduled_at = args.value("scheduled-at");
  try {
    domain::validate_workshop(w);
  } catch (const domain::Error& e) {
    throw UsageError("--" + (e.field() == "scheduled_at" ? std::string("scheduled-at") : e.field()) + ": " + e.what());
  }
  auto store = ctx.open();
  domain::Workshop saved;
  store->write_sync([&](store::WriteTx& tx) {
    w.created_at = w.updated_at = now_rfc3339();
    auto id = store::insert_workshop(tx.conn, w);
    saved = *store::find_workshop(tx.conn, id);
    service::emit(tx, "workshop.updated", {service::workshop_topic(id)}, {{"workshop", service::workshop_json(saved)}});
  });
  if (want_json(ctx, args)) std::printf("%s\n", Json{{"workshop", service::workshop_json(saved)}}.dump().c_str());
  else std::printf("added workshop %lld: %s\n", static_cast<long long>(saved.id), saved.title.c_str());
  return 0;
}

int workshop_list(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"workshop list [--json]", "Lists workshops, newest first, with their queue lengths.\n", {}, {}};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  auto store = ctx.open();
  auto list = store::list_workshops(store->reader(), 0, 1000000);
  if (want_json(ctx, args)) {
    Json items = Json::array();
    for (const auto& w : list) items.push_back(service::workshop_json(w));
    std::printf("%s\n", Json{{"items", items}}.dump().c_str());
    return 0;
  }
  if (list.empty()) {
    std::printf("no workshops yet (add one with: carecrowd-admin workshop create --help)\n");
    return 0;
  }
  std::printf("%-6s %-8s %-21s %6s  %s\n", "ID", "STATUS", "SCHEDULED", "QUEUE", "TITLE");
  for (const auto& w : list)
    std::printf("%-6lld %-8s %-21s %6lld  %s\n", static_cast<long long>(w.id), std::string(domain::to_string(w.status)).c_str(),
                w.scheduled_at.value_or("-").c_str(), static_cast<long long>(w.queue_length), w.title.c_str());
  return 0;
}

}  // namespace

void register_content_commands() {
  registry().push_back({"principle", "list", "list the five principles", principle_list});
  registry().push_back({"principle", "edit", "change a principle's title or summary", principle_edit});
  registry().push_back({"challenge", "import", "add challenges from a JSON file (all or nothing)", challenge_import});
  registry().push_back({"challenge", "list", "list challenges", challenge_list});
  registry().push_back({"workshop", "create", "add a workshop", workshop_create});
  registry().push_back({"workshop", "list", "list workshops", workshop_list});
}

}  // namespace cc::admin
