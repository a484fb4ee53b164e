#pragma once
// Maps (method, path pattern) to a handler. Patterns are literal segments and
// `{name}` segments (optionally with a literal suffix, as in `{id}.csv`); the values
// of the named segments land in Request::params, in order.
#include <string>
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
    std::string literal;  // for a literal segment
    bool param = false;
    std::string suffix;   // literal text after a {param}
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    std::vector<int> specificity;  // a segment each: literal 2, {param}suffix 1, {param} 0
    Handler handler;
  };
  static bool match(const Route& r, const std::vector<std::string_view>& parts, std::vector<std::string>* params);
  std::vector<Route> routes_;
  std::vector<std::vector<std::size_t>> by_length_;  // routes_ indexes by segment count
};

}  // namespace cc::http
