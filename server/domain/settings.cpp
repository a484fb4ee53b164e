#include "domain/settings.hpp"

#include <limits>
#include <nlohmann/json.hpp>

#include "domain/challenge.hpp"
#include "domain/error.hpp"
#include "domain/text.hpp"
#include "domain/user.hpp"

namespace cc::domain {

namespace {
std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += ',';
    out += i;
  }
  return out;
}
}  // namespace

const std::vector<SettingSpec>& known_settings() {
  static const std::vector<SettingSpec> specs = {
      {"registration.open", "true", "whether anyone may register (true/false)"},
      {"registration.allowed_domains", "", "comma-separated email domains allowed to register; empty means any"},
      {"professions", join(default_professions()), "comma-separated list of professions users choose from"},
      {"workforce.baseline", "{}", "JSON object: each profession's share of the workforce, e.g. {\"nursing\": 0.3}"},
      {"voting.default", R"({"model":"up","votes_per_user":null})", "default voting rule for new challenges (JSON)"},
      {"forward.default", R"({"top_n":5,"min_votes":1,"workshop_id":null})",
       "default forwarding rule for new challenges (JSON)"},
      {"retention.days", "0", "days to keep closed accounts' personal data before erasure; 0 keeps it"},
  };
  return specs;
}

bool parse_bool_setting(std::string_view v) { return v == "true"; }

std::vector<std::string> parse_list_setting(std::string_view value) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= value.size()) {
    auto j = value.find(',', i);
    if (j == std::string_view::npos) j = value.size();
    auto item = value.substr(i, j - i);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) out.emplace_back(item);
    i = j + 1;
  }
  return out;
}

namespace {
// A rule's whole number as an int: one past int's range reads as -1, which every rule
// refuses. (The parser reads a number without a sign as unsigned, so one past int64's
// range would otherwise wrap.)
int rule_int(const nlohmann::json& n) {
  if (n.is_number_unsigned()) {
    const auto v = n.get<unsigned long long>();
    return v <= static_cast<unsigned long long>(std::numeric_limits<int>::max()) ? static_cast<int>(v) : -1;
  }
  const auto v = n.get<long long>();
  return v >= std::numeric_limits<int>::min() && v <= std::numeric_limits<int>::max() ? static_cast<int>(v) : -1;
}
}  // namespace

// Both defaults are held to a challenge's own limits (domain/challenge.cpp): a default
// that a new challenge could not take would make every challenge created without rules fail.
VotingRule parse_voting_default(std::string_view value) {
  auto j = nlohmann::json::parse(value, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw validation_error("value", "voting.default must be a JSON object");
  if (j.contains("model") && !(j["model"].is_string() && (j["model"] == "up" || j["model"] == "updown")))
    throw validation_error("value", "voting.default.model must be up or updown");
  VotingRule rule;
  if (j.value("model", std::string("up")) == "updown") rule.model = VotingModel::updown;
  if (j.contains("votes_per_user") && !j["votes_per_user"].is_null()) {
    if (!j["votes_per_user"].is_number_integer())
      throw validation_error("value", "voting.default.votes_per_user must be null or a whole number");
    rule.votes_per_user = rule_int(j["votes_per_user"]);
  }
  validate_voting_rule(rule, "value");
  return rule;
}

ForwardRule parse_forward_default(std::string_view value) {
  auto j = nlohmann::json::parse(value, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw validation_error("value", "forward.default must be a JSON object");
  ForwardRule rule{5, 1, std::nullopt};  // as the setting's own default
  for (auto [name, into] : {std::pair{"top_n", &rule.top_n}, std::pair{"min_votes", &rule.min_votes}}) {
    if (!j.contains(name)) continue;
    if (!j[name].is_number_integer())
      throw validation_error("value", std::string("forward.default.") + name + " must be a whole number, 0 or more");
    *into = rule_int(j[name]);
  }
  if (j.contains("workshop_id") && !j["workshop_id"].is_null()) {
    const auto& w = j["workshop_id"];
    if (!w.is_number_integer() || (w.is_number_unsigned() && w.get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max()) ||
        w.get<std::int64_t>() < 1)
      throw validation_error("value", "forward.default.workshop_id must be null or a workshop id");
    rule.workshop_id = w.get<std::int64_t>();
  }
  validate_forward_rule(rule, "value");
  return rule;
}

std::string validate_setting(std::string_view key, std::string_view value) {
  using nlohmann::json;
  check_text("value", value, 0, 10000);
  if (key == "registration.open") {
    auto v = to_lower_ascii(value);
    if (v != "true" && v != "false") throw validation_error("value", "registration.open must be true or false");
    return v;
  }
  if (key == "registration.allowed_domains") {
    auto items = parse_list_setting(to_lower_ascii(value));
    for (const auto& d : items) {
      if (d.find('.') == std::string::npos || d.find('@') != std::string::npos || d.find(' ') != std::string::npos)
        throw validation_error("value", "not an email domain: " + d);
    }
    return join(items);
  }
  if (key == "professions") {
    auto items = parse_list_setting(value);
    if (items.empty()) throw validation_error("value", "professions must list at least one profession");
    for (const auto& p : items) {
      for (char c : p)
        if (!((c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9')))
          throw validation_error("value", "a profession is lower-case letters, digits and _: " + p);
    }
    return join(items);
  }
  if (key == "workforce.baseline") {
    auto j = json::parse(value, nullptr, false);
    if (j.is_discarded() || !j.is_object()) throw validation_error("value", "workforce.baseline must be a JSON object");
    double total = 0;
    for (auto& [k, v] : j.items()) {
      if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1)
        throw validation_error("value", "each share in workforce.baseline must be a number from 0 to 1 (" + k + ")");
      total += v.get<double>();
    }
    if (total > 1.0001) throw validation_error("value", "the shares in workforce.baseline add up to more than 1");
    return j.dump();
  }
  if (key == "voting.default") {
    const auto rule = parse_voting_default(value);
    return json{{"model", to_string(rule.model)}, {"votes_per_user", rule.votes_per_user ? json(*rule.votes_per_user) : json()}}
        .dump();
  }
  if (key == "forward.default") {
    const auto rule = parse_forward_default(value);
    return json{{"top_n", rule.top_n},
                {"min_votes", rule.min_votes},
                {"workshop_id", rule.workshop_id ? json(*rule.workshop_id) : json()}}
        .dump();
  }
  if (key == "retention.days") {
    if (value.empty() || value.size() > 6 || value.find_first_not_of("0123456789") != std::string_view::npos)
      throw validation_error("value", "retention.days must be a whole number of days");
    return std::string(value);
  }
  throw validation_error("key", "unknown setting: " + std::string(key));
}

}  // namespace cc::domain
