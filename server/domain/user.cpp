#include "domain/user.hpp"

#include <algorithm>
#include <iterator>
#include <unordered_set>

#include "domain/error.hpp"
#include "domain/text.hpp"

namespace cc::domain {

const std::vector<std::string>& default_professions() {
  static const std::vector<std::string> list = {
      "medical", "nursing", "midwifery", "allied_health", "pharmacy", "dental", "optometry",
      "healthcare_science", "psychology", "paramedic", "social_work", "social_care",
      "public_health", "management", "other"};
  return list;
}

std::string normalise_email(std::string_view email) {
  check_text("email", email, 3, 254);
  std::string e = to_lower_ascii(email);
  auto at = e.find('@');
  bool ok = at != std::string::npos && at > 0 && at == e.rfind('@') && at + 1 < e.size();
  if (ok) {
    auto domain = std::string_view(e).substr(at + 1);
    auto dot = domain.find('.');
    ok = dot != std::string_view::npos && dot > 0 && domain.back() != '.';
  }
  ok = ok && std::none_of(e.begin(), e.end(), [](char c) { return c == ' ' || c == ',' || c == ';' || c == '<' || c == '>'; });
  if (!ok) throw validation_error("email", "email is not a valid email address");
  return e;
}

std::string email_domain(std::string_view e) {
  auto at = e.find('@');
  return at == std::string_view::npos ? std::string() : std::string(e.substr(at + 1));
}

namespace {
// A plain array compiles quickly; the set is built from it on first use.
const char* const kCommonPasswords[] = {
#include "common_passwords.inc"
};
}  // namespace

bool is_common_password(std::string_view password) {
  static const std::unordered_set<std::string_view> common(std::begin(kCommonPasswords), std::end(kCommonPasswords));
  return common.count(to_lower_ascii(password)) > 0;
}

void check_password(std::string_view password, std::string_view field) {
  std::string f(field);
  auto len = utf8_length(password);
  if (!len) throw validation_error(f, "password is not valid UTF-8");
  if (*len < 12) throw validation_error(f, "password is too short (at least 12 characters)");
  if (*len > 128) throw validation_error(f, "password is too long (at most 128 characters)");
  if (is_common_password(password))
    throw validation_error(f, "password is too common: choose one that others are unlikely to use");
}

NewUser validate_new_user(NewUser u, const std::vector<std::string>& professions) {
  u.email = normalise_email(u.email);
  check_password(u.password);
  check_text("display_name", u.display_name, 1, 80);
  if (std::find(professions.begin(), professions.end(), u.profession) == professions.end())
    throw validation_error("profession", "profession is not one of the known professions");
  check_text("organisation", u.organisation, 1, 120);
  if (u.place) check_text("place", *u.place, 0, 120);
  return u;
}

}  // namespace cc::domain
