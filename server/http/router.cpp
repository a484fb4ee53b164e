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
  Node* node = &root_;
  // The child of `node` under `key` in `children`, made if it is new.
  auto child = [](std::vector<std::pair<std::string, std::unique_ptr<Node>>>& children, const std::string& key) {
    for (auto& [k, n] : children)
      if (k == key) return n.get();
    return children.emplace_back(key, std::make_unique<Node>()).second.get();
  };
  for (auto part : split_path(pattern)) {
    Segment s;
    if (!part.empty() && part.front() == '{') {
      auto close = part.find('}');
      if (close == std::string_view::npos) throw std::invalid_argument("bad route pattern: " + pattern);
      s.param = true;
      s.suffix = std::string(part.substr(close + 1));
      if (!s.suffix.empty()) {
        node = child(node->suffixed, s.suffix);
      } else {
        if (!node->param) node->param = std::make_unique<Node>();
        node = node->param.get();
      }
    } else {
      node = child(node->literals, std::string(part));
    }
    r.specificity.push_back(!s.param ? 2 : s.suffix.empty() ? 0 : 1);
    r.segments.push_back(std::move(s));
  }
  node->routes.push_back(routes_.size());
  routes_.push_back(std::move(r));
}

void Router::gather(const Node& node, const std::vector<std::string_view>& parts, std::size_t i,
                    std::vector<std::size_t>& out) {
  if (i == parts.size()) return out.insert(out.end(), node.routes.begin(), node.routes.end()), void();
  const auto p = parts[i];
  for (const auto& [literal, next] : node.literals)
    if (p == literal) {
      gather(*next, parts, i + 1, out);
      break;
    }
  // A parameter is never empty: "{id}.csv" needs something before ".csv".
  for (const auto& [suffix, next] : node.suffixed)
    if (p.size() > suffix.size() && p.ends_with(suffix)) gather(*next, parts, i + 1, out);
  if (node.param) gather(*node.param, parts, i + 1, out);
}

void Router::fill_params(const Route& r, const std::vector<std::string_view>& parts, std::vector<std::string>& params) {
  params.clear();
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (r.segments[i].param) params.emplace_back(parts[i].substr(0, parts[i].size() - r.segments[i].suffix.size()));
}

Router::Result Router::find(Request& req) const {
  auto parts = split_path(req.path);
  Result result;
  std::vector<std::size_t> fits;  // the routes whose pattern the path fits, in the order added
  gather(root_, parts, 0, fits);
  std::sort(fits.begin(), fits.end());
  // When several patterns match, the most specific wins whatever the order they were
  // added in: segment by segment, a literal beats `{id}.csv`, which beats `{id}` (see
  // Route::specificity). Taking the first match let "/challenges/{id}" hide a later
  // "/challenges/new".
  const Route* best = nullptr;
  std::vector<std::string> allowed;  // other methods the path accepts, each once
  for (std::size_t index : fits) {
    const Route& r = routes_[index];
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
    fill_params(*best, parts, req.params);
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
