#include "http/router.hpp"

#include <stdexcept>

namespace cc::http {
namespace {
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') { ++i; continue; }
    auto j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    parts.push_back(path.substr(i, j - i));
    i = j;
  }
  return parts;
}
}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  Route r{std::move(method), pattern, {}, std::move(handler)};
  for (auto part : split_path(pattern)) {
    Segment s;
    if (!part.empty() && part.front() == '{') {
      auto close = part.find('}');
      if (close == std::string_view::npos) throw std::invalid_argument("bad route pattern: " + pattern);
      s.param = true;
      s.suffix = std::string(part.substr(close + 1));
    } else {
      s.literal = std::string(part);
    }
    r.segments.push_back(std::move(s));
  }
  routes_.push_back(std::move(r));
}

bool Router::match(const Route& r, const std::vector<std::string_view>& parts, std::vector<std::string>* params) {
  if (r.segments.size() != parts.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& s = r.segments[i];
    auto p = parts[i];
    if (!s.param) {
      if (p != s.literal) return false;
      continue;
    }
    if (p.size() <= s.suffix.size() || p.substr(p.size() - s.suffix.size()) != s.suffix) return false;
    if (params) params->emplace_back(p.substr(0, p.size() - s.suffix.size()));
  }
  return true;
}

Router::Result Router::find(Request& req) const {
  auto parts = split_path(req.path);
  Result result;
  for (const auto& r : routes_) {
    if (!match(r, parts, nullptr)) continue;
    if (r.method == req.method || (req.method == "HEAD" && r.method == "GET" && result.match != Match::found)) {
      req.params.clear();
      match(r, parts, &req.params);
      req.route = r.pattern;
      result.match = Match::found;
      result.handler = &r.handler;
      if (r.method == req.method) return result;
      continue;
    }
    if (result.match == Match::none) result.match = Match::wrong_method;
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += r.method;
  }
  return result;
}

}  // namespace cc::http
