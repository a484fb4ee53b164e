#pragma once
// What the benchmark programs share beyond the network: --name value options, the
// open-file limit, and a process's resident memory.
#include <sys/resource.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cc::bench {

// Command-line options: `--name value` for the names in `valued` (repeatable), `--name`
// alone for those in `flags`. Anything else throws, with a message fit for stderr.
class Options {
public:
  Options(int argc, char** argv, const std::vector<std::string_view>& valued,
          const std::vector<std::string_view>& flags) {
    for (int i = 1; i < argc; ++i) {
      std::string_view a = argv[i];
      if (a == "--help" || a == "-h") {
        help_ = true;
        continue;
      }
      if (std::find(flags.begin(), flags.end(), a) != flags.end()) {
        values_[std::string(a)].emplace_back();
      } else if (std::find(valued.begin(), valued.end(), a) != valued.end()) {
        if (i + 1 >= argc) throw std::runtime_error(std::string(a) + " needs a value");
        values_[std::string(a)].emplace_back(argv[++i]);
      } else {
        throw std::runtime_error("unknown option " + std::string(a));
      }
    }
  }

  bool help() const { return help_; }
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  std::string text(const std::string& name, std::string fallback = {}) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second.back();
  }
  std::vector<std::string> all(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::vector<std::string>{} : it->second;
  }
  long number(const std::string& name, long fallback, long min, long max) const {
    if (!has(name)) return fallback;
    const std::string v = text(name);
    std::size_t used = 0;
    long n = 0;
    try {
      n = std::stol(v, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != v.size() || v.empty() || n < min || n > max)
      throw std::runtime_error(name + " takes a whole number from " + std::to_string(min) + " to " +
                               std::to_string(max) + ", not '" + v + "'");
    return n;
  }

private:
  std::map<std::string, std::vector<std::string>> values_;
  bool help_ = false;
};

// Raises the soft open-file limit to the hard one (thousands of sockets); returns it.
inline rlim_t raise_open_file_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  if (lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
    getrlimit(RLIMIT_NOFILE, &lim);
  }
  return lim.rlim_cur;
}

// VmRSS of a process in KiB, from /proc/PID/status; -1 when it cannot be read.
inline long vm_rss_kib(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return -1;
}

}  // namespace cc::bench
