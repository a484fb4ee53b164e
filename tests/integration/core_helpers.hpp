#pragma once
// Shared set-up for the core API tests (challenges, ideas, votes, comments, moderation,
// search, notifications and events): a deployment with a design group member and two
// staff users, and small helpers that fail the test loudly when a set-up call fails.
#include <gtest/gtest.h>

#include <string>

#include "support/harness.hpp"

namespace cc::test {

inline const std::string kApi = "/api/v1";

// Aborts the calling test (via exception) when the status is not the expected one.
inline json expect_status(const Response& r, int status, const std::string& what) {
  if (r.status != status)
    throw std::runtime_error(what + ": expected " + std::to_string(status) + ", got " + std::to_string(r.status) + " " +
                             r.body);
  return r.body.empty() ? json() : r.json_body();
}

// The `field` of a 422 (or "" when the answer is not a validation error).
inline std::string error_field(const Response& r) {
  auto b = json::parse(r.body, nullptr, false);
  if (b.is_discarded() || !b.contains("error")) return "";
  return b["error"].value("field", "");
}
inline std::string error_code(const Response& r) {
  auto b = json::parse(r.body, nullptr, false);
  if (b.is_discarded() || !b.contains("error")) return "";
  return b["error"].value("code", "");
}

inline json challenge_body(const std::string& title = "Protected time for leaders", const std::string& status = "open") {
  return {{"title", title},
          {"brief", "How do we give clinical leaders protected time?"},
          {"principle_ids", {3}},
          {"status", status}};
}

inline json idea_body(const std::string& title, const std::string& body = "A plain description of the idea.") {
  return {{"title", title}, {"body", body}};
}

struct Core {
  Deployment d;
  std::string dg_email, staff_email, other_email;
  Client dg, staff, other;
  std::int64_t dg_id = 0, staff_id = 0, other_id = 0;

  explicit Core(ServerProcess::Options options = {})
      : d(std::move(options)),
        dg_email(d.add_user("dora", "design_group", "management")),
        staff_email(d.add_user("sam", "staff", "nursing")),
        other_email(d.add_user("olu", "staff", "pharmacy")),
        dg(d.signed_in(dg_email)),
        staff(d.signed_in(staff_email)),
        other(d.signed_in(other_email)) {
    dg_id = expect_status(dg.get(kApi + "/me"), 200, "me")["user"]["id"].get<std::int64_t>();
    staff_id = expect_status(staff.get(kApi + "/me"), 200, "me")["user"]["id"].get<std::int64_t>();
    other_id = expect_status(other.get(kApi + "/me"), 200, "me")["user"]["id"].get<std::int64_t>();
  }

  // Another signed-in user made with the admin CLI.
  Client user(const std::string& name, const std::string& role = "staff", const std::string& profession = "nursing") {
    return d.signed_in(d.add_user(name, role, profession));
  }

  json create_challenge(json body = challenge_body()) {
    return expect_status(dg.post(kApi + "/challenges", body), 201, "create challenge")["challenge"];
  }
  std::int64_t open_challenge(json body = challenge_body()) { return create_challenge(body)["id"].get<std::int64_t>(); }
  // An open challenge that takes down votes as well as up votes.
  std::int64_t open_updown_challenge(const std::string& title = "Up and down") {
    json body = challenge_body(title);
    body["voting"] = {{"model", "updown"}};
    return open_challenge(body);
  }

  json create_idea(Client& who, std::int64_t challenge, json body) {
    return expect_status(who.post(kApi + "/challenges/" + std::to_string(challenge) + "/ideas", body), 201,
                         "create idea")["idea"];
  }
  std::int64_t idea(Client& who, std::int64_t challenge, const std::string& title) {
    return create_idea(who, challenge, idea_body(title))["id"].get<std::int64_t>();
  }

  Response vote(Client& who, std::int64_t idea, int value) {
    return who.put(kApi + "/ideas/" + std::to_string(idea) + "/vote", {{"value", value}});
  }
  json get_idea(Client& who, std::int64_t idea) {
    return expect_status(who.get(kApi + "/ideas/" + std::to_string(idea)), 200, "get idea")["idea"];
  }
  json comment(Client& who, std::int64_t idea, const std::string& body, std::optional<std::int64_t> parent = {}) {
    json b = {{"body", body}};
    if (parent) b["parent_id"] = *parent;
    return expect_status(who.post(kApi + "/ideas/" + std::to_string(idea) + "/comments", b), 201, "comment")["comment"];
  }
  json list_ideas(Client& who, std::int64_t challenge, const std::string& query = "") {
    return expect_status(who.get(kApi + "/challenges/" + std::to_string(challenge) + "/ideas" + query), 200,
                         "list ideas");
  }
};

inline std::vector<std::int64_t> ids_of(const json& items) {
  std::vector<std::int64_t> out;
  for (const auto& i : items) out.push_back(i["id"].get<std::int64_t>());
  return out;
}

inline std::string str(std::int64_t v) { return std::to_string(v); }

}  // namespace cc::test
