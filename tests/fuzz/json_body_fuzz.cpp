// libFuzzer target: the bytes are a request body. It is parsed as the API parses every
// body (http::parse_json_object: the nesting limit, then nlohmann's parser), then read
// by each endpoint's decoder (json/request_json, json/fields) and checked by the domain
// rules (text, challenge, idea, comment, vote, user, workshop, settings, patient data,
// dates, cursors) — the checks that stand between a client and the store.
//
// What counts as a failure, besides what ASan and UBSan report:
// - any exception other than domain::Error out of a decoder or rule (the server would
//   answer 500 where a 4xx is due);
// - text accepted by the text rules that nlohmann cannot write out as JSON (it would
//   break every answer that carries it), and disagreement about what is valid UTF-8;
// - an accepted body nested deeper than the limit;
// - dates and cursors that do not survive their own round trip;
// - a challenge or workshop that passes validation once but not a second time.
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <typeinfo>

#include "common/clock.hpp"
#include "domain/challenge.hpp"
#include "domain/error.hpp"
#include "domain/idea.hpp"
#include "domain/patient_guard.hpp"
#include "domain/settings.hpp"
#include "domain/text.hpp"
#include "domain/user.hpp"
#include "domain/workshop.hpp"
#include "http/responses.hpp"
#include "json/fields.hpp"
#include "json/request_json.hpp"
#include "service/page.hpp"

namespace {

using namespace cc;
using Json = nlohmann::json;
namespace fields = cc::json;

[[noreturn]] void fail(const std::string& why, const std::string& input) {
  std::fprintf(stderr, "\n==json_body_fuzz== %s\ninput: %s\n", why.c_str(), input.substr(0, 2000).c_str());
  std::abort();
}

// Runs one decoder or rule: domain errors are the expected refusals; anything else fails.
// Returns whether it passed.
bool expect(const char* what, const std::string& input, const std::function<void()>& fn) {
  try {
    fn();
    return true;
  } catch (const domain::Error&) {
    return false;
  } catch (const std::exception& e) {
    fail(std::string(what) + " threw " + typeid(e).name() + ": " + e.what(), input);
  } catch (...) {
    fail(std::string(what) + " threw something that is not an exception", input);
  }
}

bool nlohmann_accepts_utf8(const std::string& s) {
  try {
    (void)Json(s).dump();
    return true;
  } catch (const Json::type_error&) {
    return false;
  }
}

int depth_of(const Json& j) {
  int deepest = 0;
  if (j.is_structured())
    for (const auto& v : j) deepest = std::max(deepest, depth_of(v));
  return j.is_structured() ? deepest + 1 : 0;
}

// The text rules, on one string: whatever they accept must be valid UTF-8 to nlohmann too.
void check_string(const std::string& s, const std::string& input) {
  bool ours = domain::utf8_length(s).has_value();
  if (ours != nlohmann_accepts_utf8(s))
    fail(std::string("utf8_length and nlohmann disagree on whether this is UTF-8 (ours: ") + (ours ? "yes" : "no") + ")",
         input);
  for (bool multiline : {false, true}) {
    bool accepted = expect("check_text", input, [&] { domain::check_text("f", s, 0, 100000, multiline); });
    if (accepted && !ours) fail("check_text accepted text that is not UTF-8", input);
  }
  expect("guard_patient_data", input, [&] { domain::guard_patient_data("body", s, false); });
  expect("normalise_email", input, [&] { domain::normalise_email(s); });
  expect("check_password", input, [&] { domain::check_password(s); });
  expect("validate_comment_body", input, [&] { domain::validate_comment_body(s); });
  if (auto t = parse_rfc3339(s)) {
    auto again = parse_rfc3339(to_rfc3339(*t));
    if (!again || *again != *t) fail("an RFC 3339 time does not survive to_rfc3339 and back", input);
  }
  if (s.size() <= 512) {
    std::string decoded;
    if (expect("decode_cursor", input, [&] { decoded = service::decode_cursor(s); }) &&
        service::decode_cursor(service::encode_cursor(decoded)) != decoded)
      fail("a cursor does not survive encode and decode", input);
    expect("cursor_value", input, [&] { service::cursor_value(s, "b"); });
  }
}

// Every endpoint's body decoding, as the API and the services do it.
void decode_all(const Json& body, const std::string& input) {
  // Challenges: create and edit, then the rules on the result (twice: validation must be stable).
  expect("challenge", input, [&] {
    auto patch = fields::challenge_patch_from_json(body);
    domain::Challenge ch;
    ch.title = "A challenge to start from";
    ch.principle_ids = {1};
    domain::apply_and_validate(ch, patch);
    domain::Challenge again = ch;
    if (!expect("challenge again", input, [&] { domain::apply_and_validate(again, domain::ChallengePatch{}); }))
      fail("a validated challenge fails validation the second time", input);
  });
  // Ideas: create, edit.
  expect("new idea", input, [&] {
    auto idea = fields::new_idea_from_json(body);
    bool confirmed = fields::optional_bool(body, "confirm_no_patient_data").value_or(false);
    std::optional<std::string> title = idea.title, text = idea.body;
    std::optional<std::vector<std::string>> tags = idea.tags;
    domain::validate_idea_text(title, text, tags);
    domain::guard_patient_data("title", idea.title, confirmed);
    domain::guard_patient_data("body", idea.body, confirmed);
    for (const auto& t : *tags) domain::guard_patient_data("tags", t, confirmed);
  });
  expect("idea edit", input, [&] {
    auto title = fields::optional_string(body, "title");
    auto text = fields::optional_string(body, "body");
    std::optional<std::vector<std::string>> tags;
    if (body.contains("tags")) tags = fields::string_array(body, "tags");
    if (auto st = fields::optional_string(body, "status")) (void)domain::parse_idea_status(*st);
    if (auto note = fields::optional_string(body, "status_note")) domain::check_text("status_note", *note, 1, 2000, true);
    domain::validate_idea_text(title, text, tags);
  });
  // Votes, merges, follows, comments, flags.
  expect("vote", input, [&] {
    auto value = fields::required_int(body, "value");
    domain::validate_vote_value(value, true);
  });
  expect("merge", input, [&] {
    fields::required_int(body, "into_id");
    if (auto note = fields::optional_string(body, "note")) domain::check_text("note", *note, 1, 2000, true);
  });
  expect("follow", input, [&] { fields::optional_bool(body, "follow"); });
  expect("comment", input, [&] {
    auto text = fields::required_string(body, "body");
    fields::optional_int(body, "parent_id");
    domain::validate_comment_body(text);
    domain::guard_patient_data("body", text, fields::optional_bool(body, "confirm_no_patient_data").value_or(false));
  });
  expect("flag", input, [&] {
    fields::required_string(body, "target");
    fields::required_int(body, "id");
    domain::check_text("reason", fields::required_string(body, "reason"), 1, 1000, true);
  });
  expect("flag resolution", input, [&] {
    fields::optional_string(body, "state");
    fields::required_string(body, "action");
    domain::check_text("note", fields::optional_string(body, "note").value_or(""), 0, 2000, true);
  });
  // Accounts.
  expect("register", input, [&] {
    domain::NewUser u;
    u.email = fields::required_string(body, "email");
    u.password = fields::required_string(body, "password");
    u.display_name = fields::required_string(body, "display_name");
    u.profession = fields::required_string(body, "profession");
    u.organisation = fields::required_string(body, "organisation");
    u.place = fields::optional_string(body, "place");
    domain::validate_new_user(u, domain::default_professions());
  });
  expect("login", input, [&] {
    fields::required_string(body, "email");
    fields::required_string(body, "password");
  });
  // Workshops and their queues.
  expect("workshop", input, [&] {
    domain::Workshop w;
    w.title = fields::required_string(body, "title");
    w.description = fields::optional_string(body, "description").value_or("");
    w.scheduled_at = fields::optional_string(body, "scheduled_at");
    if (auto s = fields::optional_string(body, "status")) (void)domain::parse_workshop_status(*s);
    domain::validate_workshop(w);
    domain::Workshop again = w;
    if (!expect("workshop again", input, [&] { domain::validate_workshop(again); }))
      fail("a validated workshop fails validation the second time", input);
  });
  expect("queue item", input, [&] {
    fields::required_int(body, "idea_id");
    if (auto note = fields::optional_string(body, "note")) domain::check_text("note", *note, 0, 2000, true);
  });
  expect("queue item edit", input, [&] {
    fields::optional_int(body, "position");
    if (auto s = fields::optional_string(body, "state")) (void)domain::parse_item_state(*s);
    if (auto n = fields::optional_string(body, "outcome_note")) domain::check_text("outcome_note", *n, 0, 5000, true);
    if (auto s = fields::optional_string(body, "idea_status")) (void)domain::parse_idea_status(*s);
  });
  expect("notifications read", input, [&] {
    fields::int_array(body, "ids");
    fields::optional_bool(body, "all");
  });
  // Every member through every field reader, whatever its type.
  for (const auto& item : body.items()) {
    const std::string key = item.key();
    const Json& value = item.value();
    const char* k = key.c_str();
    expect("optional_string", input, [&] { fields::optional_string(body, k); });
    expect("required_string", input, [&] { fields::required_string(body, k); });
    expect("optional_int", input, [&] { fields::optional_int(body, k); });
    expect("optional_bool", input, [&] { fields::optional_bool(body, k); });
    expect("string_array", input, [&] { fields::string_array(body, k); });
    expect("int_array", input, [&] { fields::int_array(body, k); });
    if (value.is_string()) {
      check_string(value.get<std::string>(), input);
      expect("validate_setting", input, [&] { domain::validate_setting(key, value.get<std::string>()); });
    }
    if (value.is_array())
      for (const auto& v : value)
        if (v.is_string()) check_string(v.get<std::string>(), input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  http::Request req;
  req.method = "POST";
  req.headers = {{"content-type", "application/json; charset=utf-8"}};
  req.body = input;
  Json body;
  if (expect("parse_json_object", input, [&] { body = http::parse_json_object(req); })) {
    if (!body.is_object()) fail("parse_json_object returned something that is not an object", input);
    if (depth_of(body) > 32) fail("a body nested deeper than the limit was accepted", input);
    decode_all(body, input);
    // Whatever was accepted can be written back out (the answers echo fields).
    (void)body.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  // The raw bytes as one text field (the search query, a cursor, a header value...).
  if (size <= 6000) check_string(input, input);
  return 0;
}
