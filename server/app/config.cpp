#include "app/config.hpp"

#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cc::app {
namespace {

using nlohmann::json;

// One configurable key: how to set it from text, and how to show it.
struct Key {
  std::string name;
  std::function<void(Config&, const std::string&)> set;
  std::function<std::string(const Config&)> get;
};

long long to_int(const std::string& key, const std::string& v, long long min, long long max) {
  try {
    std::size_t used = 0;
    long long n = std::stoll(v, &used);
    if (used != v.size() || n < min || n > max) throw std::out_of_range(v);
    return n;
  } catch (const std::exception&) {
    throw ConfigError(key + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                      " (got \"" + v + "\")");
  }
}

template <class T>
Key int_key(std::string name, T Config::*member, long long min, long long max) {
  return {name, [name, member, min, max](Config& c, const std::string& v) { c.*member = static_cast<T>(to_int(name, v, min, max)); },
          [member](const Config& c) { return std::to_string(c.*member); }};
}

const std::vector<Key>& keys() {
  static const std::vector<Key> list = {
      {"listen", [](Config& c, const std::string& v) { c.server.listen_address = v; },
       [](const Config& c) { return c.server.listen_address; }},
      {"port", [](Config& c, const std::string& v) { c.server.port = static_cast<std::uint16_t>(to_int("port", v, 0, 65535)); },
       [](const Config& c) { return std::to_string(c.server.port); }},
      {"db", [](Config& c, const std::string& v) { c.db = v; }, [](const Config& c) { return c.db; }},
      {"pepper_file", [](Config& c, const std::string& v) { c.pepper_file = v; }, [](const Config& c) { return c.pepper_file; }},
      {"web_root", [](Config& c, const std::string& v) { c.web_root = v; }, [](const Config& c) { return c.web_root; }},
      {"threads", [](Config& c, const std::string& v) { c.server.threads = static_cast<int>(to_int("threads", v, 0, 256)); },
       [](const Config& c) { return std::to_string(c.server.threads); }},
      {"tls.cert", [](Config& c, const std::string& v) { c.server.tls_cert_file = v; },
       [](const Config& c) { return c.server.tls_cert_file; }},
      {"tls.key", [](Config& c, const std::string& v) { c.server.tls_key_file = v; },
       [](const Config& c) { return c.server.tls_key_file; }},
      {"log_level", [](Config& c, const std::string& v) {
         if (v != "debug" && v != "info" && v != "warn" && v != "error")
           throw ConfigError("log_level must be debug, info, warn or error");
         c.log_level = v;
       }, [](const Config& c) { return c.log_level; }},
      {"limits.body_bytes", [](Config& c, const std::string& v) { c.server.body_limit = to_int("limits.body_bytes", v, 1024, 16 << 20); },
       [](const Config& c) { return std::to_string(c.server.body_limit); }},
      {"limits.header_bytes", [](Config& c, const std::string& v) { c.server.header_limit = to_int("limits.header_bytes", v, 1024, 1 << 20); },
       [](const Config& c) { return std::to_string(c.server.header_limit); }},
      {"limits.header_timeout_seconds", [](Config& c, const std::string& v) { c.server.header_timeout = std::chrono::seconds(to_int("limits.header_timeout_seconds", v, 1, 3600)); },
       [](const Config& c) { return std::to_string(c.server.header_timeout.count()); }},
      {"limits.handshake_timeout_seconds", [](Config& c, const std::string& v) { c.server.handshake_timeout = std::chrono::seconds(to_int("limits.handshake_timeout_seconds", v, 1, 3600)); },
       [](const Config& c) { return std::to_string(c.server.handshake_timeout.count()); }},
      {"limits.body_timeout_seconds", [](Config& c, const std::string& v) { c.server.body_timeout = std::chrono::seconds(to_int("limits.body_timeout_seconds", v, 1, 3600)); },
       [](const Config& c) { return std::to_string(c.server.body_timeout.count()); }},
      {"limits.connections_per_ip", [](Config& c, const std::string& v) { c.server.max_connections_per_ip = to_int("limits.connections_per_ip", v, 1, 1000000); },
       [](const Config& c) { return std::to_string(c.server.max_connections_per_ip); }},
      {"limits.requests_per_minute_per_ip", [](Config& c, const std::string& v) { c.server.requests_per_minute_per_ip = static_cast<int>(to_int("limits.requests_per_minute_per_ip", v, 0, 100000000)); },
       [](const Config& c) { return std::to_string(c.server.requests_per_minute_per_ip); }},
      int_key("limits.writes_per_minute_per_user", &Config::writes_per_minute_per_user, 0, 100000000),
      int_key("limits.ws_per_user", &Config::ws_per_user, 1, 1000000),
      int_key("limits.ws_replay_events", &Config::ws_replay_events, 1, 1000000),
      {"limits.ws_message_bytes", [](Config& c, const std::string& v) { c.server.ws_read_message_max = to_int("limits.ws_message_bytes", v, 256, 16 << 20); },
       [](const Config& c) { return std::to_string(c.server.ws_read_message_max); }},
      {"limits.ws_pings_per_second", [](Config& c, const std::string& v) { c.server.ws_pings_per_second = static_cast<int>(to_int("limits.ws_pings_per_second", v, 1, 1000000)); },
       [](const Config& c) { return std::to_string(c.server.ws_pings_per_second); }},
      {"limits.ws_queue_messages", [](Config& c, const std::string& v) { c.server.ws_queue_messages = to_int("limits.ws_queue_messages", v, 1, 1000000); },
       [](const Config& c) { return std::to_string(c.server.ws_queue_messages); }},
      {"limits.ws_queue_bytes", [](Config& c, const std::string& v) { c.server.ws_queue_bytes = to_int("limits.ws_queue_bytes", v, 1024, 1 << 30); },
       [](const Config& c) { return std::to_string(c.server.ws_queue_bytes); }},
      {"limits.ws_send_buffer_bytes", [](Config& c, const std::string& v) { c.server.ws_send_buffer_bytes = to_int("limits.ws_send_buffer_bytes", v, 4096, 64 << 20); },
       [](const Config& c) { return std::to_string(c.server.ws_send_buffer_bytes); }},
      {"sessions.idle_minutes", [](Config& c, const std::string& v) { c.auth.idle_timeout_seconds = static_cast<int>(to_int("sessions.idle_minutes", v, 1, 100000) * 60); },
       [](const Config& c) { return std::to_string(c.auth.idle_timeout_seconds / 60); }},
      {"sessions.absolute_hours", [](Config& c, const std::string& v) { c.auth.absolute_timeout_seconds = static_cast<int>(to_int("sessions.absolute_hours", v, 1, 10000) * 3600); },
       [](const Config& c) { return std::to_string(c.auth.absolute_timeout_seconds / 3600); }},
      // The same two in seconds, finer than production needs (tests, short demos).
      {"sessions.idle_seconds", [](Config& c, const std::string& v) { c.auth.idle_timeout_seconds = static_cast<int>(to_int("sessions.idle_seconds", v, 2, 6000000)); },
       [](const Config& c) { return std::to_string(c.auth.idle_timeout_seconds); }},
      {"sessions.absolute_seconds", [](Config& c, const std::string& v) { c.auth.absolute_timeout_seconds = static_cast<int>(to_int("sessions.absolute_seconds", v, 2, 36000000)); },
       [](const Config& c) { return std::to_string(c.auth.absolute_timeout_seconds); }},
      {"login.failures_per_account", [](Config& c, const std::string& v) { c.auth.login_failures_per_account = static_cast<int>(to_int("login.failures_per_account", v, 1, 100000)); },
       [](const Config& c) { return std::to_string(c.auth.login_failures_per_account); }},
      {"login.failures_per_address", [](Config& c, const std::string& v) { c.auth.login_failures_per_address = static_cast<int>(to_int("login.failures_per_address", v, 1, 100000)); },
       [](const Config& c) { return std::to_string(c.auth.login_failures_per_address); }},
      {"login.window_seconds", [](Config& c, const std::string& v) { c.auth.login_window_seconds = static_cast<int>(to_int("login.window_seconds", v, 1, 86400)); },
       [](const Config& c) { return std::to_string(c.auth.login_window_seconds); }},
      {"password_hash.memory_kib", [](Config& c, const std::string& v) { c.hash_cost.memory_kib = static_cast<std::uint32_t>(to_int("password_hash.memory_kib", v, 8, 4 << 20)); },
       [](const Config& c) { return std::to_string(c.hash_cost.memory_kib); }},
      {"password_hash.iterations", [](Config& c, const std::string& v) { c.hash_cost.time = static_cast<std::uint32_t>(to_int("password_hash.iterations", v, 1, 100)); },
       [](const Config& c) { return std::to_string(c.hash_cost.time); }},
      int_key("password_hash.threads", &Config::hash_threads, 1, 64),
      int_key("events.retention_days", &Config::event_retention_days, 1, 100000),
  };
  return list;
}

const Key* find_key(const std::string& name) {
  for (const auto& k : keys())
    if (k.name == name) return &k;
  return nullptr;
}

std::string env_name(const std::string& key) {
  std::string out = "CARECROWD_";
  for (char c : key) out += (c == '.') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

void apply_json(Config& c, const json& j, const std::string& prefix) {
  for (auto& [k, v] : j.items()) {
    if (!k.empty() && k[0] == '_') continue;  // "_comment" keys document the file
    std::string name = prefix.empty() ? k : prefix + "." + k;
    if (v.is_object()) {
      apply_json(c, v, name);
      continue;
    }
    const Key* key = find_key(name);
    if (!key) throw ConfigError("unknown configuration key: " + name);
    std::string text = v.is_string() ? v.get<std::string>() : v.dump();
    key->set(c, text);
  }
}

void load_file(Config& c, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read the configuration file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = json::parse(ss.str(), nullptr, false, true);
  if (j.is_discarded() || !j.is_object()) throw ConfigError("the configuration file " + path + " is not a JSON object");
  apply_json(c, j, "");
}

}  // namespace

std::string usage() {
  return "usage: carecrowd [--config FILE] [--listen ADDR] [--port N] [--db FILE] [--web-root DIR]\n"
         "                 [--threads N] [--tls-cert FILE --tls-key FILE] [--log-level LEVEL]\n"
         "                 [--set KEY=VALUE]... [--print-config] [--help]\n"
         "\n"
         "Starts the CareCrowd server. With no flags it listens on http://127.0.0.1:8080 and\n"
         "keeps its SQLite database in ./data/carecrowd.db.\n"
         "\n"
         "  --config FILE     read settings from a JSON file (see config/carecrowd.json)\n"
         "  --listen ADDR     address to listen on (default 127.0.0.1)\n"
         "  --port N          port (default 8080; 0 picks a free port)\n"
         "  --db FILE         SQLite database file (default data/carecrowd.db)\n"
         "  --web-root DIR    folder of the web client (default client-web/dist)\n"
         "  --threads N       I/O threads (default: the number of cores)\n"
         "  --tls-cert FILE   PEM certificate chain; with --tls-key serves HTTPS and WSS\n"
         "  --tls-key FILE    PEM private key\n"
         "  --log-level L     debug, info, warn or error (default info)\n"
         "  --set KEY=VALUE   any configuration key, e.g. --set limits.body_bytes=131072\n"
         "  --print-config    print the configuration in effect and exit\n"
         "\n"
         "Every key can also be set as an environment variable CARECROWD_<KEY>, e.g.\n"
         "CARECROWD_PORT=9000 or CARECROWD_LIMITS_BODY_BYTES=131072. Flags win over the\n"
         "environment, which wins over the file. Once listening, the server prints\n"
         "'listening on http://ADDR:PORT'. SIGINT or SIGTERM shut it down cleanly.\n";
}

Config load_config(int argc, char** argv, bool& help) {
  help = false;
  std::vector<std::pair<std::string, std::string>> flags;
  std::string config_file;
  if (const char* env = std::getenv("CARECROWD_CONFIG")) config_file = env;
  static const std::vector<std::pair<std::string, std::string>> flag_keys = {
      {"--listen", "listen"},     {"--port", "port"},         {"--db", "db"},
      {"--web-root", "web_root"}, {"--threads", "threads"},   {"--tls-cert", "tls.cert"},
      {"--tls-key", "tls.key"},   {"--log-level", "log_level"}};
  bool print = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::string value;
    auto eq = a.find('=');
    bool inline_value = a.rfind("--", 0) == 0 && eq != std::string::npos;
    if (inline_value) {
      value = a.substr(eq + 1);
      a = a.substr(0, eq);
    }
    auto next = [&]() -> std::string {
      if (inline_value) return value;
      if (i + 1 >= argc) throw ConfigError(a + " needs a value");
      return argv[++i];
    };
    if (a == "--help" || a == "-h") {
      help = true;
      continue;
    }
    if (a == "--print-config") {
      print = true;
      continue;
    }
    if (a == "--config") {
      config_file = next();
      continue;
    }
    if (a == "--set") {
      auto kv = next();
      auto e = kv.find('=');
      if (e == std::string::npos) throw ConfigError("--set takes KEY=VALUE");
      flags.emplace_back(kv.substr(0, e), kv.substr(e + 1));
      continue;
    }
    bool known = false;
    for (const auto& [flag, key] : flag_keys) {
      if (a == flag) {
        flags.emplace_back(key, next());
        known = true;
      }
    }
    if (!known) throw ConfigError("unknown argument: " + a + " (see --help)");
  }
  Config c;
  c.config_file = config_file;
  if (!config_file.empty()) load_file(c, config_file);
  for (const auto& k : keys())
    if (const char* env = std::getenv(env_name(k.name).c_str())) k.set(c, env);
  for (const auto& [name, value] : flags) {
    const Key* k = find_key(name);
    if (!k) throw ConfigError("unknown configuration key: " + name);
    k->set(c, value);
  }
  if (c.server.tls_cert_file.empty() != c.server.tls_key_file.empty())
    throw ConfigError("--tls-cert and --tls-key go together");
  if (print) {
    for (const auto& [k, v] : describe(c)) std::printf("%s = %s\n", k.c_str(), v.c_str());
    std::exit(0);
  }
  return c;
}

std::vector<std::pair<std::string, std::string>> describe(const Config& c) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& k : keys()) out.emplace_back(k.name, k.get(c));
  return out;
}

}  // namespace cc::app
