#include "store/wal_buffer_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>

namespace cc::store {
namespace {

constexpr const char* kName = "carecrowd-wal-buffer";
// A batch of 512 votes is about 3,300 frames (14 MB); past this much the buffer is
// written out and started again, so memory stays bounded whatever the batch.
constexpr std::size_t kMaxBuffered = 8u << 20;

sqlite3_vfs* g_base = nullptr;
sqlite3_vfs g_vfs;

// A WAL file: the base VFS's file, and the run of writes not yet handed to it, which
// starts at `at` and is contiguous.
struct WalFile {
  sqlite3_file base;  // first: SQLite sees this
  sqlite3_file* real;
  std::string pending;
  sqlite3_int64 at = 0;
};

WalFile* wal(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }
sqlite3_file* real(sqlite3_file* f) { return wal(f)->real; }

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
  int rc = write_through(w->real, w->pending.data(), w->pending.size(), w->at);
  w->pending.clear();
  return rc;
}

int x_close(sqlite3_file* f) {
  auto* w = wal(f);
  int rc = flush(w);
  int closed = w->real->pMethods->xClose(w->real);
  sqlite3_free(w->real);
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
    if (n > kMaxBuffered) return write_through(w->real, static_cast<const char*>(data), n, offset);
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
  return real(f)->pMethods->xSync(real(f), flags);
}

int x_file_size(sqlite3_file* f, sqlite3_int64* size) {
  if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xFileSize(real(f), size);
}

int x_lock(sqlite3_file* f, int level) { return real(f)->pMethods->xLock(real(f), level); }
int x_unlock(sqlite3_file* f, int level) { return real(f)->pMethods->xUnlock(real(f), level); }
int x_check_reserved_lock(sqlite3_file* f, int* out) {
  return real(f)->pMethods->xCheckReservedLock(real(f), out);
}

int x_file_control(sqlite3_file* f, int op, void* arg) {
  // Whatever it does (size hints, the WAL kept or not), it sees the file as SQLite does.
  if (int rc = flush(wal(f)); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xFileControl(real(f), op, arg);
}

int x_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int x_device_characteristics(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }

// Version 1: a WAL file is never memory-mapped and holds no shared memory.
const sqlite3_io_methods kWalMethods = {
    1,       x_close,       x_read,      x_write,         x_truncate,   x_sync,
    x_file_size, x_lock,    x_unlock,    x_check_reserved_lock, x_file_control, x_sector_size,
    x_device_characteristics, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

// Files other than the WAL are the base VFS's own, opened in the memory SQLite gives us
// (sized for either), so they pass through untouched.
int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  if (!(flags & SQLITE_OPEN_WAL)) return g_base->xOpen(g_base, name, f, flags, out_flags);
  auto* inner = static_cast<sqlite3_file*>(sqlite3_malloc(g_base->szOsFile));
  if (!inner) return SQLITE_NOMEM;
  std::memset(inner, 0, static_cast<std::size_t>(g_base->szOsFile));
  int rc = g_base->xOpen(g_base, name, inner, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (inner->pMethods) inner->pMethods->xClose(inner);
    sqlite3_free(inner);
    f->pMethods = nullptr;
    return rc;
  }
  auto* w = new (f) WalFile{};
  w->base.pMethods = &kWalMethods;
  w->real = inner;
  return SQLITE_OK;
}

int x_delete(sqlite3_vfs*, const char* name, int sync_dir) { return g_base->xDelete(g_base, name, sync_dir); }
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) { return g_base->xAccess(g_base, name, flags, out); }
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_base->xFullPathname(g_base, name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return g_base->xDlOpen(g_base, name); }
void x_dl_error(sqlite3_vfs*, int n, char* out) { g_base->xDlError(g_base, n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* lib, const char* sym))(void) { return g_base->xDlSym(g_base, lib, sym); }
void x_dl_close(sqlite3_vfs*, void* lib) { g_base->xDlClose(g_base, lib); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return g_base->xRandomness(g_base, n, out); }
int x_sleep(sqlite3_vfs*, int us) { return g_base->xSleep(g_base, us); }
int x_current_time(sqlite3_vfs*, double* out) { return g_base->xCurrentTime(g_base, out); }
int x_get_last_error(sqlite3_vfs*, int n, char* out) { return g_base->xGetLastError(g_base, n, out); }
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return g_base->xCurrentTimeInt64(g_base, out); }

}  // namespace

const char* wal_buffer_vfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_base = sqlite3_vfs_find(nullptr);
    if (!g_base || g_base->iVersion < 2) throw std::runtime_error("SQLite has no default VFS to build on");
    g_vfs = sqlite3_vfs{};
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = std::max(g_base->szOsFile, static_cast<int>(sizeof(WalFile)));
    g_vfs.mxPathname = g_base->mxPathname;
    g_vfs.zName = kName;
    g_vfs.xOpen = x_open;
    g_vfs.xDelete = x_delete;
    g_vfs.xAccess = x_access;
    g_vfs.xFullPathname = x_full_pathname;
    g_vfs.xDlOpen = x_dl_open;
    g_vfs.xDlError = x_dl_error;
    g_vfs.xDlSym = x_dl_sym;
    g_vfs.xDlClose = x_dl_close;
    g_vfs.xRandomness = x_randomness;
    g_vfs.xSleep = x_sleep;
    g_vfs.xCurrentTime = x_current_time;
    g_vfs.xGetLastError = x_get_last_error;
    g_vfs.xCurrentTimeInt64 = x_current_time_int64;
    if (sqlite3_vfs_register(&g_vfs, 0) != SQLITE_OK) throw std::runtime_error("cannot register the WAL buffer VFS");
  });
  return kName;
}

}  // namespace cc::store
