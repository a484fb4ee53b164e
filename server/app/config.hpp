#pragma once
// Configuration: built-in defaults, then a JSON file (--config or CARECROWD_CONFIG),
// then CARECROWD_<KEY> environment variables, then command-line flags (SPEC §7).
// The key "limits.body_bytes" is CARECROWD_LIMITS_BODY_BYTES in the environment.
#include <string>
#include <vector>

#include "net/server.hpp"
#include "service/auth.hpp"

namespace cc::app {

struct Config {
  std::string config_file;
  net::ServerOptions server;
  std::string db = "data/carecrowd.db";
  std::string pepper_file;  // default: the database path + ".pepper"
  std::string web_root = "client-web/dist";
  std::string log_level = "info";
  service::AuthOptions auth;
  auth::HashCost hash_cost;
  int hash_threads = 2;
  int writes_per_minute_per_user = 600;   // votes, comments, ideas; 0: no limit
  int event_retention_days = 30;
  int ws_per_user = 16;                   // live connections per account
  int ws_replay_events = 5000;            // events a resuming subscriber is sent; beyond, too_far_behind
};

// What went wrong with the command line or the configuration, for a one-line error.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses flags (argv) on top of file and environment. Sets `help` when --help was given.
Config load_config(int argc, char** argv, bool& help);
std::string usage();
// Every key with its current value, for documentation and `--print-config`.
std::vector<std::pair<std::string, std::string>> describe(const Config& c);

}  // namespace cc::app
