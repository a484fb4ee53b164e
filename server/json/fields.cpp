#include "json/fields.hpp"

#include "domain/error.hpp"

namespace cc::json {

using domain::validation_error;

std::string required_string(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) throw validation_error(field, std::string(field) + " is required");
  if (!it->is_string()) throw validation_error(field, std::string(field) + " must be a string");
  return it->get<std::string>();
}

std::optional<std::string> optional_string(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw validation_error(field, std::string(field) + " must be a string");
  return it->get<std::string>();
}

std::int64_t required_int(const json& body, const char* field) {
  auto v = optional_int(body, field);
  if (!v) throw validation_error(field, std::string(field) + " is required");
  return *v;
}

std::optional<std::int64_t> optional_int(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_number_float()) {
    double d = it->get<double>();
    // The range first: converting a double beyond int64's range is undefined behaviour.
    if (d > -9e15 && d < 9e15 && d == static_cast<double>(static_cast<std::int64_t>(d))) return static_cast<std::int64_t>(d);
  }
  throw validation_error(field, std::string(field) + " must be a whole number");
}

std::optional<bool> optional_bool(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) throw validation_error(field, std::string(field) + " must be true or false");
  return it->get<bool>();
}

std::vector<std::string> string_array(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_array()) throw validation_error(field, std::string(field) + " must be a list of strings");
  std::vector<std::string> out;
  for (const auto& v : *it) {
    if (!v.is_string()) throw validation_error(field, std::string(field) + " must be a list of strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::vector<std::int64_t> int_array(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return {};
  if (!it->is_array()) throw validation_error(field, std::string(field) + " must be a list of ids");
  std::vector<std::int64_t> out;
  for (const auto& v : *it) {
    if (!v.is_number_integer()) throw validation_error(field, std::string(field) + " must be a list of ids");
    out.push_back(v.get<std::int64_t>());
  }
  return out;
}

}  // namespace cc::json
