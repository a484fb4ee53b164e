#pragma once
// Reads runtime settings live from the database, so a change made with the admin CLI
// takes effect in the running server at once.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "domain/challenge.hpp"
#include "store/store.hpp"

namespace cc::service {

class Settings {
public:
  explicit Settings(store::Store& store) : store_(store) {}

  std::string get(const std::string& key);  // the stored value, or the default
  bool registration_open();
  std::vector<std::string> allowed_domains();
  std::vector<std::string> professions();
  nlohmann::json workforce_baseline();
  domain::VotingRule voting_default();  // throw validation_failed if the stored text is not a rule
  domain::ForwardRule forward_default();

  // Validates and stores (admin CLI). Throws validation_failed.
  static void put(store::Connection& writer, const std::string& key, const std::string& value);
  static std::string get(store::Connection& c, const std::string& key);

private:
  store::Store& store_;
};

}  // namespace cc::service
