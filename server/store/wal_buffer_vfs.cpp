#include "store/wal_buffer_vfs.hpp"

#include "store/vfs_shim.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <mutex>
#include <string>

namespace cc::store {
namespace {

constexpr const char* kName = "carecrowd-wal-buffer";
// A batch of 512 votes is about 3,300 frames (14 MB); past this much the buffer is
// written out and started again, so memory stays bounded whatever the batch.
constexpr std::size_t kMaxBuffered = 8u << 20;

sqlite3_vfs g_vfs;
// Set by DeferredWalSync on the writer's thread around its commit.
thread_local bool t_defer_sync = false;

// A WAL file: the base VFS's file, and the run of writes not yet handed to it, which
// starts at `at` and is contiguous.
struct WalFile {
  vfs_shim::File file;  // first: SQLite sees this
  std::string pending;
  sqlite3_int64 at = 0;
};

WalFile* wal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }
using vfs_shim::real;

// The unix VFS writes at most 128 KiB a call (it masks the length to 17 bits, so a
// write of exactly 128 KiB would write nothing and report a full disk): hand it pieces.
constexpr std::size_t kPiece = 31 * 4096;

int write_through(sqlite3_file* real, const char* data, std::size_t n, sqlite3_int64 at) {
  while (n > 0) {
    const std::size_t piece = std::min(n, kPiece);
    if (int rc = real->pMethods->xWrite(real, data, static_cast<int>(piece), at); rc != SQLITE_OK) return rc;
    data += piece;
    at += static_cast<sqlite3_int64>(piece);
    n -= piece;
  }
  return SQLITE_OK;
}

int flush(WalFile* w) {
  if (w->pending.empty()) return SQLITE_OK;
  int rc = write_through(w->file.real, w->pending.data(), w->pending.size(), w->at);
  w->pending.clear();
  return rc;
}

int x_close(sqlite3_file* f) {
  auto* w = wal(f);
  int rc = flush(w);
  int closed = vfs_shim::close_real(w->file.real);
  w->~WalFile();
  return rc != SQLITE_OK ? rc : closed;
}

int x_read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xRead(real(f), out, amount, offset);
}

int x_write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  auto* w = wal(f);
  const auto n = static_cast<std::size_t>(amount);
  const bool follows = !w->pending.empty() && offset == w->at + static_cast<sqlite3_int64>(w->pending.size());
  if (!follows || w->pending.size() + n > kMaxBuffered) {
    if (int rc = flush(w); rc != SQLITE_OK) return rc;
    if (n > kMaxBuffered) return write_through(w->file.real, static_cast<const char*>(data), n, offset);
    w->at = offset;
  }
  try {
    w->pending.append(static_cast<const char*>(data), n);
  } catch (const std::bad_alloc&) {
    return SQLITE_IOERR_NOMEM;
  }
  return SQLITE_OK;
}

int x_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xTruncate(real(f), size);
}

int x_sync(sqlite3_file* f, int flags) {
  if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
  // The frames are the operating system's now; the WalSyncer makes them durable.
  if (t_defer_sync) return SQLITE_OK;
  return real(f)->pMethods->xSync(real(f), flags);
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xFileSize(real(f), size);
}

int x_file_control(sqlite3_file* f, int op, void* arg) {
  // Whatever it does (size hints, the WAL kept or not), it sees the file as SQLite does.
  if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xFileControl(real(f), op, arg);
}

// Version 1: a WAL file is never memory-mapped and holds no shared memory.
const sqlite3_io_methods kWalMethods = [] {
  auto m = vfs_shim::pass_through_methods(1);
  m.xClose = x_close;
  m.xRead = x_read;
  m.xWrite = x_write;
  m.xTruncate = x_truncate;
  m.xSync = x_sync;
  m.xFileSize = x_file_size;
  m.xFileControl = x_file_control;
  return m;
}();

// Files other than the WAL are the base VFS's own, opened in the memory SQLite gives us
// (sized for either), so they pass through untouched.
int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  if (!(flags & SQLITE_OPEN_WAL)) return vfs_shim::open_plain(name, f, flags, out_flags);
  return vfs_shim::open_wrapped<WalFile>(name, f, flags, out_flags, &kWalMethods);
}

}  // namespace

DeferredWalSync::DeferredWalSync(bool defer) : was_(t_defer_sync) { t_defer_sync = defer; }
DeferredWalSync::~DeferredWalSync() { t_defer_sync = was_; }

const char* wal_buffer_vfs() {
  static std::once_flag once;
  std::call_once(once, [] { vfs_shim::register_vfs(g_vfs, kName, static_cast<int>(sizeof(WalFile)), x_open); });
  return kName;
}

}  // namespace cc::store
