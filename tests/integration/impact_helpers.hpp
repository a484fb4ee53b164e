#pragma once
// Shared by the metrics, export and admin CLI tests: a deployment with people across
// professions and organisations, small calls that fail the test loudly, and parsers for
// what comes back (RFC 3339 times, RFC 4180 CSV).
#include <gtest/gtest.h>

#include <cctype>
#include <ctime>
#include <deque>
#include <stdexcept>
#include <string>
#include <vector>

#include "core_helpers.hpp"
#include "support/harness.hpp"

namespace cc::test::impact {

using cc::test::kApi;
using cc::test::str;

inline json must(const Response& r, int status, const std::string& what) {
  if (r.status != status)
    throw std::runtime_error(what + ": expected " + std::to_string(status) + ", got " + std::to_string(r.status) + " " +
                             r.body);
  return r.body.empty() ? json() : r.json_body();
}

struct Person {
  std::string name, email, profession, organisation;
  std::int64_t id = 0;
  Client client;
};

struct Crowd {
  Deployment d;
  std::deque<Person> people;  // a deque: references stay valid as people join

  // Adds someone with the admin CLI and signs them in.
  Person& add(const std::string& name, const std::string& role, const std::string& profession,
              const std::string& organisation) {
    // The email from the name ("Nia Nurse" → nia.nurse@example.nhs.uk); the name as given.
    std::string local;
    for (char ch : name) local += ch == ' ' ? '.' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    auto email = local + "@example.nhs.uk";
    auto r = d.admin({"user", "add", "--email", email, "--name", name, "--role", role, "--profession", profession,
                      "--organisation", organisation, "--password-stdin"},
                     std::string(Deployment::kPassword) + "\n");
    if (r.exit_code != 0) throw std::runtime_error("user add failed: " + r.err);
    Client c = d.signed_in(email);
    auto me = must(c.get(kApi + "/me"), 200, "me");
    people.push_back({name, email, profession, organisation, me["user"]["id"].get<std::int64_t>(), c});
    return people.back();
  }
  Person& by_name(const std::string& name) {
    for (auto& p : people)
      if (p.name == name) return p;
    throw std::runtime_error("no person " + name);
  }

  std::int64_t challenge(Client& lead, json body) {
    return must(lead.post(kApi + "/challenges", body), 201, "create challenge")["challenge"]["id"].get<std::int64_t>();
  }
  json idea(Person& who, std::int64_t challenge, const std::string& title, bool anonymous = false,
            const std::string& body = "A plain description of the idea.") {
    return must(who.client.post(kApi + "/challenges/" + str(challenge) + "/ideas",
                                {{"title", title}, {"body", body}, {"anonymous", anonymous}}),
                201, "create idea")["idea"];
  }
  json comment(Person& who, std::int64_t idea, const std::string& body) {
    return must(who.client.post(kApi + "/ideas/" + str(idea) + "/comments", {{"body", body}}), 201, "comment")["comment"];
  }
  void vote(Person& who, std::int64_t idea, int value) {
    must(who.client.put(kApi + "/ideas/" + str(idea) + "/vote", {{"value", value}}), 200, "vote");
  }
  void status(Person& lead, std::int64_t idea, const std::string& status) {
    must(lead.client.patch(kApi + "/ideas/" + str(idea), {{"status", status}, {"status_note", "Moved to " + status}}), 200,
         "status change");
  }
};

// "2026-11-22T09:30:00Z" → epoch seconds.
inline std::int64_t parse_time(const std::string& s) {
  std::tm tm{};
  if (!strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) throw std::runtime_error("bad time " + s);
  return static_cast<std::int64_t>(timegm(&tm));
}

inline std::string utc_today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// A strict RFC 4180 parser: records end in CRLF; quoted fields may hold , " CR LF.
inline std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  std::size_t i = 0;
  bool quoted = false, after_quote = false;
  while (i < text.size()) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        after_quote = true;
        ++i;
        continue;
      }
      field += c;
      ++i;
      continue;
    }
    if (c == '"') {
      if (!field.empty() || after_quote) throw std::runtime_error("a quote inside an unquoted field");
      quoted = true;
      ++i;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      after_quote = false;
      ++i;
    } else if (c == '\r') {
      if (i + 1 >= text.size() || text[i + 1] != '\n') throw std::runtime_error("a CR without LF outside quotes");
      row.push_back(field);
      rows.push_back(row);
      row.clear();
      field.clear();
      after_quote = false;
      i += 2;
    } else if (c == '\n') {
      throw std::runtime_error("a bare LF outside quotes (records must end in CRLF)");
    } else {
      if (after_quote) throw std::runtime_error("text after a closing quote");
      field += c;
      ++i;
    }
  }
  if (quoted) throw std::runtime_error("an unterminated quoted field");
  if (!field.empty() || !row.empty()) throw std::runtime_error("the last record does not end in CRLF");
  return rows;
}

}  // namespace cc::test::impact
