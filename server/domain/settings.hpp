#pragma once
// Runtime settings that admins change (SPEC §6): their keys, defaults and validation.
// Stored as text in the settings table; read live by the server.
#include <string>
#include <string_view>
#include <vector>

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
std::vector<std::string> parse_list_setting(std::string_view value);  // comma-separated, trimmed, non-empty

}  // namespace cc::domain
