#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/roles.hpp"

namespace cc::domain {

struct User {
  std::int64_t id = 0;
  std::string email;
  std::string display_name;
  std::string profession;
  std::string organisation;
  std::optional<std::string> place;
  Role role = Role::staff;
  bool active = true;
  std::string created_at;
};

// What a registration or `user add` asks for, before it is checked.
struct NewUser {
  std::string email;
  std::string password;
  std::string display_name;
  std::string profession;
  std::string organisation;
  std::optional<std::string> place;
  Role role = Role::staff;
};

const std::vector<std::string>& default_professions();

// Lower-cases and checks an email address; throws validation_failed (field "email").
std::string normalise_email(std::string_view email);
std::string email_domain(std::string_view normalised_email);

// Checks every field of a new user except uniqueness; the password against the
// length rules and the common-password list. Returns the user with a normalised email.
NewUser validate_new_user(NewUser u, const std::vector<std::string>& professions);

// 12 to 128 characters, not a common password (SPEC §4, Passwords).
void check_password(std::string_view password, std::string_view field = "password");
bool is_common_password(std::string_view password);

}  // namespace cc::domain
