#include "json/request_json.hpp"

#include "domain/error.hpp"
#include "json/fields.hpp"

namespace cc::json {

using nlohmann::json;
using domain::validation_error;

namespace {
std::optional<std::optional<std::string>> nullable_string(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) throw validation_error(field, std::string(field) + " must be a string or null");
  return std::optional<std::string>(it->get<std::string>());
}

std::optional<std::optional<std::int64_t>> nullable_int(const json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end()) return std::nullopt;
  if (it->is_null()) return std::optional<std::int64_t>();
  if (!it->is_number_integer()) throw validation_error(field, std::string(field) + " must be a whole number or null");
  return std::optional<std::int64_t>(it->get<std::int64_t>());
}

int small_int(const json& j, const char* key, const char* field, int fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() > 1000000)
    throw validation_error(field, std::string(field) + "." + key + " must be a whole number, 0 or more");
  return it->get<int>();
}
}  // namespace

domain::ChallengePatch challenge_patch_from_json(const json& body) {
  domain::ChallengePatch p;
  p.title = optional_string(body, "title");
  p.brief = optional_string(body, "brief");
  if (body.contains("principle_ids")) p.principle_ids = int_array(body, "principle_ids");
  if (auto s = optional_string(body, "status")) {
    auto st = domain::parse_challenge_status(*s);
    if (!st) throw validation_error("status", "status must be draft, open, closed or archived");
    p.status = *st;
  }
  p.opens_at = nullable_string(body, "opens_at");
  p.closes_at = nullable_string(body, "closes_at");
  p.parent_idea_id = nullable_int(body, "parent_idea_id");
  if (auto it = body.find("voting"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) throw validation_error("voting", "voting must be an object {model, votes_per_user}");
    domain::VotingRule v;
    auto model = it->value("model", json("up"));
    if (!model.is_string() || (model != "up" && model != "updown"))
      throw validation_error("voting", "voting.model must be up or updown");
    v.model = model == "updown" ? domain::VotingModel::updown : domain::VotingModel::up;
    if (auto n = it->find("votes_per_user"); n != it->end() && !n->is_null()) {
      if (!n->is_number_integer()) throw validation_error("voting", "voting.votes_per_user must be null or a whole number");
      v.votes_per_user = static_cast<int>(std::clamp<std::int64_t>(n->get<std::int64_t>(), -1, 1000000));
    }
    p.voting = v;
  }
  if (auto it = body.find("forward"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) throw validation_error("forward", "forward must be an object {top_n, min_votes, workshop_id}");
    domain::ForwardRule f;
    f.top_n = small_int(*it, "top_n", "forward", 0);
    f.min_votes = small_int(*it, "min_votes", "forward", 0);
    if (auto w = it->find("workshop_id"); w != it->end() && !w->is_null()) {
      if (!w->is_number_integer()) throw validation_error("forward", "forward.workshop_id must be null or a workshop id");
      f.workshop_id = w->get<std::int64_t>();
    }
    p.forward = f;
  }
  return p;
}

domain::NewIdea new_idea_from_json(const json& body) {
  domain::NewIdea i;
  i.title = required_string(body, "title");
  i.body = required_string(body, "body");
  i.tags = string_array(body, "tags");
  i.anonymous = optional_bool(body, "anonymous").value_or(false);
  return i;
}

}  // namespace cc::json
