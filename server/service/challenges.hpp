#pragma once
// Challenge use cases: list, read, create, edit, open and close (by hand or when
// closes_at passes).
#include <functional>

#include "domain/challenge.hpp"
#include "domain/viewer.hpp"
#include "service/outcome.hpp"
#include "service/page.hpp"
#include "service/settings.hpp"

namespace cc::service {

class Challenges {
public:
  // Runs inside the transaction that closes a challenge (rule-based forwarding hooks in here).
  using CloseHook = std::function<void(store::WriteTx&, const domain::Challenge&, std::int64_t actor)>;

  Challenges(store::Store& store, Settings& settings) : store_(store), settings_(settings) {}

  Page<domain::Challenge> list(const domain::Viewer& v, std::optional<domain::ChallengeStatus> status,
                               std::optional<std::int64_t> principle, const std::optional<std::string>& cursor, int limit);
  domain::Challenge get(const domain::Viewer& v, std::int64_t id);

  void create(const domain::Viewer& actor, domain::ChallengePatch input, Then<domain::Challenge> then);
  void update(const domain::Viewer& actor, std::int64_t id, domain::ChallengePatch patch, Then<domain::Challenge> then);
  // Opens drafts whose opens_at and closes challenges whose closes_at has passed.
  void run_schedule();

  void on_close(CloseHook hook) { close_hook_ = std::move(hook); }

  // Shared with other services: the challenge as the viewer may see it, or 404.
  static domain::Challenge visible(store::Connection& c, const domain::Viewer& v, std::int64_t id);
  // The same check, for callers that need only to know (no copy of the challenge).
  static void require_visible(store::Connection& c, const domain::Viewer& v, std::int64_t id);
  // Writes a new challenge, checked by the caller, with its challenge.created event, and
  // returns it as saved: for create and the admin CLI's import alike.
  static domain::Challenge insert(store::WriteTx& tx, domain::Challenge ch);

private:
  void apply_status(store::WriteTx& tx, domain::Challenge& before, domain::Challenge& after, std::int64_t actor);

  store::Store& store_;
  Settings& settings_;
  CloseHook close_hook_;
};

}  // namespace cc::service
