#pragma once
// Maps (method, path pattern) to a handler. Patterns are literal segments and
// `{name}` segments (optionally with a literal suffix, as in `{id}.csv`); the values
// of the named segments land in Request::params, in order.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "http/message.hpp"

namespace cc::http {

class Router {
public:
  void add(std::string method, std::string pattern, Handler handler);

  enum class Match { found, wrong_method, none };
  struct Result {
    Match match = Match::none;
    const Handler* handler = nullptr;
    std::string allow;  // for 405: the methods the path accepts
  };
  // Finds the handler for req.method and req.path; fills req.params and req.route.
  Result find(Request& req) const;

private:
  struct Segment {
    bool param = false;   // else a literal, whose text is its node's key
    std::string suffix;   // literal text after a {param}
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    std::vector<int> specificity;  // a segment each: literal 2, {param}suffix 1, {param} 0
    Handler handler;
  };
  // The patterns as a tree of segments, so that a path walks down its own few branches:
  // comparing it with every pattern of its length was 7% of the instructions of an
  // idea's page. A path can still fit several patterns (a literal and a parameter),
  // so find gathers them all and picks as before.
  struct Node {
    std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
    std::vector<std::pair<std::string, std::unique_ptr<Node>>> suffixed;  // {param}suffix, by suffix
    std::unique_ptr<Node> param;                                          // {param}
    std::vector<std::size_t> routes;  // routes_ indexes of the patterns that end here
  };
  static void gather(const Node& node, const std::vector<std::string_view>& parts, std::size_t i,
                     std::vector<std::size_t>& out);
  static void fill_params(const Route& r, const std::vector<std::string_view>& parts, std::vector<std::string>& params);
  std::vector<Route> routes_;
  Node root_;
};

}  // namespace cc::http
