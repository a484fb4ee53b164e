#pragma once
// Request bodies → domain inputs, with a 422 naming the field for anything malformed.
#include <nlohmann/json.hpp>

#include "domain/challenge.hpp"
#include "domain/idea.hpp"

namespace cc::json {

domain::ChallengePatch challenge_patch_from_json(const nlohmann::json& body);
domain::NewIdea new_idea_from_json(const nlohmann::json& body);

}  // namespace cc::json
