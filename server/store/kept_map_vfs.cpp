#include "store/kept_map_vfs.hpp"

#include "store/vfs_shim.hpp"

#include <sqlite3.h>

#include <atomic>
#include <mutex>

namespace cc::store {
namespace {

constexpr const char* kName = "carecrowd-kept-map";

sqlite3_vfs g_vfs;
std::atomic<std::uint64_t> g_drops{0};

// The database file: the base VFS's file and the file's size when its mapping was made
// (-1: no mapping yet, or dropped).
struct MappedFile {
  vfs_shim::File file;  // first: SQLite sees this
  sqlite3_int64 mapped_size = -1;
};

MappedFile* mapped(sqlite3_file* f) { return reinterpret_cast<MappedFile*>(f); }
using vfs_shim::real;
// Whether the base VFS's file can be mapped at all (the unix VFS's can).
bool maps(sqlite3_file* f) { return real(f)->pMethods->iVersion >= 3 && real(f)->pMethods->xFetch; }

int x_close(sqlite3_file* f) {
  int rc = vfs_shim::close_real(real(f));
  mapped(f)->~MappedFile();
  return rc;
}

// The base VFS maps the whole file at the first fetch after a drop: its size then is
// the mapping's. A size read here a moment apart from the base's own can only differ
// when the file changed size in between, and then the next drop is passed on anyway.
int x_fetch(sqlite3_file* f, sqlite3_int64 at, int n, void** out) {
  if (!maps(f)) {
    *out = nullptr;  // no mapping: SQLite reads the page instead
    return SQLITE_OK;
  }
  auto* m = mapped(f);
  if (m->mapped_size < 0) {
    sqlite3_int64 size = 0;
    if (real(f)->pMethods->xFileSize(real(f), &size) == SQLITE_OK) m->mapped_size = size;
  }
  return real(f)->pMethods->xFetch(real(f), at, n, out);
}

// A page handed back (`page` set) always passes on; a drop of the whole mapping (no
// page) only when the file's size is no longer the mapping's. A larger file is read
// past the mapping's end with pread until then; a file made smaller (VACUUM) has its
// mapping dropped before any read beyond the new end could touch it.
int x_unfetch(sqlite3_file* f, sqlite3_int64 at, void* page) {
  if (!maps(f)) return SQLITE_OK;
  auto* m = mapped(f);
  if (!page) {
    sqlite3_int64 size = -1;
    if (m->mapped_size >= 0 && real(f)->pMethods->xFileSize(real(f), &size) == SQLITE_OK && size == m->mapped_size)
      return SQLITE_OK;
    m->mapped_size = -1;
    g_drops.fetch_add(1, std::memory_order_relaxed);
  }
  return real(f)->pMethods->xUnfetch(real(f), at, page);
}

const sqlite3_io_methods kMappedMethods = [] {
  auto m = vfs_shim::pass_through_methods(3);
  m.xClose = x_close;
  m.xFetch = x_fetch;
  m.xUnfetch = x_unfetch;
  return m;
}();

// Only the main database file is wrapped; the WAL and journals are the base VFS's own.
int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  if (!(flags & SQLITE_OPEN_MAIN_DB)) return vfs_shim::open_plain(name, f, flags, out_flags);
  return vfs_shim::open_wrapped<MappedFile>(name, f, flags, out_flags, &kMappedMethods);
}

}  // namespace

const char* kept_map_vfs() {
  static std::once_flag once;
  std::call_once(once, [] { vfs_shim::register_vfs(g_vfs, kName, static_cast<int>(sizeof(MappedFile)), x_open); });
  return kName;
}

std::uint64_t kept_map_drops() { return g_drops.load(std::memory_order_relaxed); }

}  // namespace cc::store
