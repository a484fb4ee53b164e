#pragma once
// Runtime settings that admins change (SPEC §6): their keys, defaults and validation.
// Stored as text in the settings table; read live by the server.
#include <string>
#include <string_view>
#include <vector>

#include "domain/challenge.hpp"

namespace cc::domain {

struct SettingSpec {
  std::string key;
  std::string default_value;
  std::string description;
};

const std::vector<SettingSpec>& known_settings();
// Checks `value` for `key` and returns it in canonical form; throws validation_failed
// (field "value", or "key" for an unknown key).
std::string validate_setting(std::string_view key, std::string_view value);

// Parsed forms.
bool parse_bool_setting(std::string_view value);
// The rules a new challenge takes where its request leaves them out, from the stored
// text of voting.default and forward.default. validate_setting checks those settings with
// these, so the server and the admin CLI read them as they were accepted. Throw
// validation_failed (field "value") on text that is not such a rule.
VotingRule parse_voting_default(std::string_view value);
ForwardRule parse_forward_default(std::string_view value);
std::vector<std::string> parse_list_setting(std::string_view value);  // comma-separated, trimmed, non-empty

}  // namespace cc::domain
