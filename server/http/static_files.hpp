#pragma once
// Serves the web client from its folder. Paths are resolved inside the web root only;
// a path without a file extension that names no file gets index.html, so that the
// client's own URLs (deep links, reloads) work.
#include <string>

#include "http/message.hpp"

namespace cc::http {

class StaticFiles {
public:
  explicit StaticFiles(std::string root);
  Response serve(const Request& req) const;
  static std::string content_type_for(const std::string& path);

private:
  std::string root_;  // canonical, without a trailing slash; empty if absent
};

}  // namespace cc::http
