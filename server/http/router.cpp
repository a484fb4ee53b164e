#include "http/router.hpp"

#include <algorithm>
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
  Route r{std::move(method), pattern, {}, {}, std::move(handler)};
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
    r.specificity.push_back(!s.param ? 2 : s.suffix.empty() ? 0 : 1);
    r.segments.push_back(std::move(s));
  }
  if (by_length_.size() <= r.segments.size()) by_length_.resize(r.segments.size() + 1);
  by_length_[r.segments.size()].push_back(routes_.size());
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
  // When several patterns match, the most specific wins whatever the order they were
  // added in: segment by segment, a literal beats `{id}.csv`, which beats `{id}` (see
  // Route::specificity). Taking the first match let "/challenges/{id}" hide a later
  // "/challenges/new".
  const Route* best = nullptr;
  std::vector<std::string> allowed;  // other methods the path accepts, each once
  if (parts.size() >= by_length_.size()) return result;
  // Only routes with as many segments can match: a handful instead of every route.
  for (std::size_t index : by_length_[parts.size()]) {
    const Route& r = routes_[index];
    if (!match(r, parts, nullptr)) continue;
    bool exact = r.method == req.method;
    if (exact || (req.method == "HEAD" && r.method == "GET")) {
      // Among equals, an explicit HEAD route beats GET answering HEAD.
      if (!best || r.specificity > best->specificity ||
          (r.specificity == best->specificity && exact && best->method != req.method))
        best = &r;
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), r.method) == allowed.end()) allowed.push_back(r.method);
  }
  if (best) {
    req.params.clear();
    match(*best, parts, &req.params);
    req.route = best->pattern;
    result.match = Match::found;
    result.handler = &best->handler;
  } else if (!allowed.empty()) {
    result.match = Match::wrong_method;
    for (const auto& m : allowed) result.allow += (result.allow.empty() ? "" : ", ") + m;
  }
  return result;
}

}  // namespace cc::http
