#include "service/settings.hpp"

#include "common/clock.hpp"
#include "domain/settings.hpp"
#include "store/users_repo.hpp"

namespace cc::service {

std::string Settings::get(store::Connection& c, const std::string& key) {
  if (auto v = store::get_setting(c, key)) return *v;
  for (const auto& s : domain::known_settings())
    if (s.key == key) return s.default_value;
  return {};
}

std::string Settings::get(const std::string& key) { return get(store_.reader(), key); }

bool Settings::registration_open() { return domain::parse_bool_setting(get("registration.open")); }
std::vector<std::string> Settings::allowed_domains() { return domain::parse_list_setting(get("registration.allowed_domains")); }
std::vector<std::string> Settings::professions() { return domain::parse_list_setting(get("professions")); }

namespace {
nlohmann::json parse_or_empty(const std::string& s) {
  auto j = nlohmann::json::parse(s, nullptr, false);
  return j.is_discarded() ? nlohmann::json::object() : j;
}
}  // namespace

nlohmann::json Settings::workforce_baseline() { return parse_or_empty(get("workforce.baseline")); }
domain::VotingRule Settings::voting_default() { return domain::parse_voting_default(get("voting.default")); }
domain::ForwardRule Settings::forward_default() { return domain::parse_forward_default(get("forward.default")); }

void Settings::put(store::Connection& writer, const std::string& key, const std::string& value) {
  auto canonical = domain::validate_setting(key, value);
  store::put_setting(writer, key, canonical, now_rfc3339());
}

}  // namespace cc::service
