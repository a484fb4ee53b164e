#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

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
bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}
}  // namespace

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
  std::string body;
  if (fs::is_regular_file(resolved, ec) && read_file(resolved, body)) {
    res.content_type = content_type_for(resolved.string());
    bool is_html = resolved.extension() == ".html";
    res.set("Cache-Control", is_html ? "no-cache" : "public, max-age=300");
  } else if (!fs::path(path).has_extension() && read_file(fs::path(root_) / "index.html", body)) {
    res.content_type = "text/html; charset=utf-8";
    res.set("Cache-Control", "no-cache");
  } else {
    return error_response(404, "not_found", "no such page");
  }
  res.body = std::move(body);
  return res;
}

}  // namespace cc::http
