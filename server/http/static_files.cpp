#include "http/static_files.hpp"

#include <sys/stat.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "http/responses.hpp"

namespace cc::http {
namespace fs = std::filesystem;

StaticFiles::StaticFiles(std::string root) {
  std::error_code ec;
  auto canonical = fs::canonical(root, ec);
  if (!ec) root_ = canonical.string();
}

std::string StaticFiles::content_type_for(const std::string& path) {
  auto ext = fs::path(path).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

namespace {
// Bounds on what is kept: past them, files are read from disk on each request as before.
constexpr std::size_t kMaxFiles = 512;
constexpr std::int64_t kMaxKeptBytes = 64 * 1024 * 1024;

std::string hex(std::uint64_t v) {
  char buf[17];
  auto end = std::to_chars(buf, buf + sizeof buf, v, 16).ptr;
  return std::string(buf, end);
}

// Whether an If-None-Match header names `etag` (or is "*"); weak forms compare too.
bool etag_matches(const std::string* if_none_match, const std::string& etag) {
  if (!if_none_match) return false;
  std::string_view list = *if_none_match;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto item = list.substr(0, comma);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
  }
  return false;
}
}  // namespace

std::shared_ptr<const StaticFiles::File> StaticFiles::load(const std::string& path) const {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
  const std::int64_t mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  const std::int64_t size = st.st_size;
  {
    std::lock_guard lock(mutex_);
    auto it = files_.find(path);
    if (it != files_.end() && it->second->mtime_ns == mtime_ns && it->second->size == size) return it->second;
  }
  auto file = std::make_shared<File>();
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  file->body.resize(static_cast<std::size_t>(size));
  in.read(file->body.data(), size);
  file->body.resize(static_cast<std::size_t>(in.gcount()));  // it may have shrunk meanwhile
  file->mtime_ns = mtime_ns;
  file->size = size;
  file->etag = "\"" + hex(static_cast<std::uint64_t>(size)) + "-" + hex(static_cast<std::uint64_t>(mtime_ns)) + "\"";
  std::lock_guard lock(mutex_);
  auto it = files_.find(path);
  const std::int64_t replaced = it == files_.end() ? 0 : it->second->size;
  if (kept_bytes_ - replaced + size <= kMaxKeptBytes && (it != files_.end() || files_.size() < kMaxFiles)) {
    kept_bytes_ += size - replaced;
    files_[path] = file;
  }
  return file;
}

Response StaticFiles::serve(const Request& req) const {
  if (req.method != "GET" && req.method != "HEAD") {
    auto r = error_response(405, "method_not_allowed", "this address only answers GET");
    r.set("Allow", "GET, HEAD");
    return r;
  }
  if (root_.empty()) return error_response(404, "not_found", "the web client is not installed");
  // req.path is already percent-decoded; refuse any dot-dot segment and backslashes outright.
  const std::string& path = req.path;
  if (path.empty() || path[0] != '/' || path.find('\\') != std::string::npos)
    return error_response(404, "not_found", "no such page");
  for (std::size_t i = 0; i < path.size();) {
    auto j = path.find('/', i + 1);
    auto seg = std::string_view(path).substr(i + 1, (j == std::string::npos ? path.size() : j) - i - 1);
    if (seg == ".." || seg == ".") return error_response(404, "not_found", "no such page");
    if (j == std::string::npos) break;
    i = j;
  }
  fs::path candidate = fs::path(root_) / fs::path(path.substr(1));
  std::error_code ec;
  auto resolved = fs::weakly_canonical(candidate, ec);
  std::string rs = resolved.string();
  bool inside = !ec && (rs == root_ || (rs.size() > root_.size() && rs.compare(0, root_.size(), root_) == 0 &&
                                        rs[root_.size()] == '/'));
  if (!inside) return error_response(404, "not_found", "no such page");
  if (fs::is_directory(resolved, ec)) resolved /= "index.html";
  Response res;
  auto file = load(resolved.string());
  if (file) {
    res.content_type = content_type_for(resolved.string());
    bool is_html = resolved.extension() == ".html";
    res.set("Cache-Control", is_html ? "no-cache" : "public, max-age=300");
  } else if (!fs::path(path).has_extension() && (file = load(root_ + "/index.html"))) {
    res.content_type = "text/html; charset=utf-8";
    res.set("Cache-Control", "no-cache");
  } else {
    return error_response(404, "not_found", "no such page");
  }
  res.set("ETag", file->etag);
  if (etag_matches(req.header("if-none-match"), file->etag)) {
    res.status = 304;  // the browser's copy is current: no body
    return res;
  }
  res.body = file->body;
  return res;
}

}  // namespace cc::http
