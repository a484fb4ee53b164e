#pragma once
// Data protection (issue 10): everything held about one person, and erasing it. Erasure
// keeps their contributions (ideas, comments, votes still count) but replaces the
// personal data with placeholders, so the contributions no longer lead to anyone.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "store/connection.hpp"

namespace cc::store {

// The person's profile and every row that is theirs, as JSON (for `user export`).
nlohmann::json person_data(Connection& c, std::int64_t user_id);

inline constexpr const char* kErasedName = "Erased user";

// Replaces the person's email, name, organisation and place with placeholders, makes the
// password unusable, disables the account, revokes every session and deletes their
// notifications and follows. Their profession stays (alone it identifies no one, and the
// diversity figures the boards were shown stay true). Returns the sessions revoked.
int erase_person(Connection& c, std::int64_t user_id);

// Scrubs the person's name from the event log and from other people's notifications, for
// events with seq in [from_seq, from_seq + batch). Returns the next seq to start from, or
// 0 when there are no more events.
std::int64_t scrub_events(Connection& c, std::int64_t user_id, std::int64_t from_seq, int batch, int* changed);
int scrub_notifications(Connection& c, std::int64_t user_id);

}  // namespace cc::store
