#pragma once
// Serves the web client from its folder. Paths are resolved inside the web root only;
// a path without a file extension that names no file gets index.html, so that the
// client's own URLs (deep links, reloads) work.
//
// Files are kept in memory as last read, and read again only when their size or time
// changes: a launch day opens the client thousands of times. Each carries an ETag, and a
// browser revalidating a copy it holds (index.html is "no-cache") gets a 304 without a body.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/message.hpp"

namespace cc::http {

class StaticFiles {
public:
  explicit StaticFiles(std::string root);
  Response serve(const Request& req) const;
  static std::string content_type_for(const std::string& path);

private:
  struct File {
    std::string body;
    std::string etag;
    std::int64_t mtime_ns = 0;  // what the copy was read at
    std::int64_t size = -1;
  };
  // The regular file at `path` (already resolved inside the root), or null.
  std::shared_ptr<const File> load(const std::string& path) const;

  std::string root_;  // canonical, without a trailing slash; empty if absent
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const File>> files_;  // by path; bounded
  mutable std::int64_t kept_bytes_ = 0;
};

}  // namespace cc::http
