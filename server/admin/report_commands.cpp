// carecrowd-admin stats [--challenge ID] | export ideas --challenge ID --format csv|json
// The figures and the export of issue 8, from the same service the API uses.
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "admin/cli.hpp"
#include "domain/error.hpp"
#include "service/metrics.hpp"
#include "service/settings.hpp"

namespace cc::admin {

namespace {

using Json = nlohmann::json;

std::string num(const Json& v, int decimals = 2) {
  if (!v.is_number()) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v.get<double>());
  return buf;
}
std::string pct(const Json& v) { return v.is_number() ? num(Json(v.get<double>() * 100), 1) + "%" : "-"; }
long long n(const Json& v) { return v.is_number_integer() ? v.get<long long>() : 0; }

// Domain errors (an unknown challenge) are failures that changed nothing: exit 1.
template <class F>
auto or_failure(F&& f) {
  try {
    return f();
  } catch (const domain::Error& e) {
    throw Failure(e.what());
  }
}

void print_challenge(const Json& m) {
  const auto& ch = m["challenge"];
  std::printf("Challenge %lld: %s (%s)\n", n(ch["id"]), ch["title"].get<std::string>().c_str(),
              ch["status"].get<std::string>().c_str());
  std::printf("  people taking part %lld, ideas %lld, comments %lld, votes %lld\n\n", n(m["participants"]), n(m["ideas"]),
              n(m["comments"]), n(m["votes"]));
  std::printf("By profession%s\n", m["baseline_set"].get<bool>() ? "" : " (no workforce baseline is set: settings set workforce.baseline)");
  std::printf("  %-22s %7s %7s %9s %7s %7s %9s %7s\n", "PROFESSION", "PEOPLE", "SHARE", "WORKFORCE", "REPR", "IDEAS",
              "COMMENTS", "VOTES");
  for (const auto& [name, f] : m["by_profession"].items())
    std::printf("  %-22s %7lld %7s %9s %7s %7lld %9lld %7lld\n", name.c_str(), n(f["participants"]), pct(f["share"]).c_str(),
                pct(f["baseline_share"]).c_str(), num(f["representation"]).c_str(), n(f["ideas"]), n(f["comments"]),
                n(f["votes"]));
  const auto& d = m["diversity"];
  std::string under;
  for (const auto& u : d["under_represented"]) under += (under.empty() ? "" : ", ") + u.get<std::string>();
  std::printf("  %lld profession(s) taking part; evenness %s (0: one profession only, 1: perfectly even)\n",
              n(d["professions"]), num(d["evenness"]).c_str());
  std::printf("  under-represented (below half their workforce share): %s\n\n", under.empty() ? "none" : under.c_str());
  std::printf("By organisation\n  %-40s %7s %7s %9s %7s\n", "ORGANISATION", "PEOPLE", "IDEAS", "COMMENTS", "VOTES");
  for (const auto& [name, f] : m["by_organisation"].items())
    std::printf("  %-40s %7lld %7lld %9lld %7lld\n", name.c_str(), n(f["participants"]), n(f["ideas"]), n(f["comments"]),
                n(f["votes"]));
  std::printf("\nIdeas by status\n");
  for (const char* s : {"new", "under_review", "shortlisted", "forwarded", "adopted", "not_progressed", "merged"})
    std::printf("  %-16s %lld\n", s, n(m["funnel"][s]));
  std::printf("\nBy day (UTC; people = taking part for the first time)\n  %-10s %7s %9s %7s %7s\n", "DATE", "IDEAS",
              "COMMENTS", "VOTES", "PEOPLE");
  for (const auto& day : m["daily"])
    std::printf("  %-10s %7lld %9lld %7lld %7lld\n", day["date"].get<std::string>().c_str(), n(day["ideas"]),
                n(day["comments"]), n(day["votes"]), n(day["participants"]));
}

void print_overview(const Json& o) {
  std::printf("Principles\n  %-4s %-48s %10s %6s %7s %7s\n", "CODE", "TITLE", "CHALLENGES", "OPEN", "IDEAS", "PEOPLE");
  for (const auto& p : o["principles"])
    std::printf("  %-4s %-48.48s %10lld %6lld %7lld %7lld\n", p["code"].get<std::string>().c_str(),
                p["title"].get<std::string>().c_str(), n(p["challenges"]), n(p["open_challenges"]), n(p["ideas"]),
                n(p["participants"]));
  std::string gaps;
  for (const auto& g : o["principles_without_open_challenge"]) gaps += (gaps.empty() ? "" : ", ") + g["code"].get<std::string>();
  std::printf("  with no open challenge: %s\n\n", gaps.empty() ? "none" : gaps.c_str());
  std::printf("Challenges\n  %-6s %-9s %6s %9s %6s %7s %8s %13s  %s\n", "ID", "STATUS", "IDEAS", "COMMENTS", "VOTES", "PEOPLE",
              "WAITING", "MEDIAN WAIT H", "TITLE");
  for (const auto& c : o["challenges"])
    std::printf("  %-6lld %-9s %6lld %9lld %6lld %7lld %8lld %13s  %s\n", n(c["id"]), c["status"].get<std::string>().c_str(),
                n(c["ideas"]), n(c["comments"]), n(c["votes"]), n(c["participants"]), n(c["ideas_waiting"]),
                num(c["median_hours_to_first_status_change"]).c_str(), c["title"].get<std::string>().c_str());
  const auto& t = o["totals"];
  std::printf("\nTotals: %lld challenge(s) (%lld open), %lld ideas, %lld comments, %lld votes, %lld people taking part\n",
              n(t["challenges"]), n(t["open_challenges"]), n(t["ideas"]), n(t["comments"]), n(t["votes"]),
              n(t["participants"]));
  const auto& w = o["first_status_change"];
  if (w["median_hours"].is_number())
    std::printf("Wait for a first status change: median %s hours (%lld ideas have had one, %lld still wait)\n",
                num(w["median_hours"]).c_str(), n(w["ideas_changed"]), n(w["ideas_waiting"]));
  else
    std::printf("Wait for a first status change: no idea has had one yet (%lld wait)\n", n(w["ideas_waiting"]));
}

int stats(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"stats [--challenge ID] [--json]",
            "Without --challenge: the overview (per principle, with the principles that have no open\n"
            "challenge; per challenge; the median wait for a first status change). With --challenge:\n"
            "that challenge's figures (people by profession against the workforce baseline, by\n"
            "organisation, evenness, ideas by status, by day). --json prints exactly what\n"
            "GET /api/v1/metrics/overview and /metrics/challenges/{id} answer.\n",
            {"challenge"}, {}};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  std::optional<std::int64_t> challenge;
  if (args.has("challenge")) challenge = args.id("challenge");
  auto store = ctx.open();
  service::Settings settings(*store);
  service::ImpactMetrics impact(*store, settings);
  auto figures = or_failure([&] { return challenge ? impact.challenge(*challenge) : impact.overview(); });
  if (want_json(ctx, args)) std::printf("%s\n", figures.dump().c_str());
  else if (challenge) print_challenge(figures);
  else print_overview(figures);
  return 0;
}

int export_ideas(const Context& ctx, const std::vector<std::string>& argv) {
  Spec spec{"export ideas --challenge ID --format csv|json [--output FILE]",
            "Exports a challenge's ideas with their status, votes, comments and the author's profession\n"
            "(never a name). csv: the same file as GET /api/v1/export/challenges/{id}.csv (UTF-8 with\n"
            "a byte-order mark, CRLF, RFC 4180 quoting, formula-like text neutralised). json:\n"
            "{\"challenge\": {...}, \"ideas\": [...]}. Writes to standard output unless --output.\n",
            {"challenge", "format", "output"}, {}};
  auto args = parse_args(spec, argv);
  if (print_help_if_asked(spec, args)) return 0;
  auto id = args.id("challenge");
  auto format = args.value_or("format", want_json(ctx, args) ? "json" : "");
  if (format.empty()) throw UsageError("--format is required (csv or json)");
  if (format != "csv" && format != "json") throw UsageError("--format must be csv or json");
  auto store = ctx.open();
  service::Settings settings(*store);
  service::ImpactMetrics impact(*store, settings);
  std::string out = or_failure([&] { return format == "csv" ? impact.ideas_csv(id) : impact.ideas_json(id).dump(2) + "\n"; });
  if (!args.has("output")) {
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
  }
  auto path = args.value("output");
  auto tmp = path + ".partial";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f || !f.write(out.data(), static_cast<std::streamsize>(out.size())) || !f.flush())
      throw Failure("cannot write " + path);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Failure("cannot write " + path);
  }
  std::printf("exported challenge %lld to %s\n", static_cast<long long>(id), path.c_str());
  return 0;
}

}  // namespace

void register_report_commands() {
  registry().push_back({"", "stats", "impact figures: the overview, or one challenge (--challenge ID)", stats});
  registry().push_back({"export", "ideas", "export a challenge's ideas as CSV or JSON", export_ideas});
}

}  // namespace cc::admin
