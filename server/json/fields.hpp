#pragma once
// Reading fields out of a JSON request body with clear errors: a missing or wrongly
// typed field is a 422 validation_failed naming the field.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace cc::json {

using nlohmann::json;

std::string required_string(const json& body, const char* field);
std::optional<std::string> optional_string(const json& body, const char* field);  // absent or null → nullopt
std::int64_t required_int(const json& body, const char* field);
std::optional<std::int64_t> optional_int(const json& body, const char* field);
std::optional<bool> optional_bool(const json& body, const char* field);
std::vector<std::string> string_array(const json& body, const char* field);  // absent → empty
std::vector<std::int64_t> int_array(const json& body, const char* field);    // absent → empty

}  // namespace cc::json
