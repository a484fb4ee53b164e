#include "store/vfs_shim.hpp"

#include "store/sqlite_setup.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace cc::store::vfs_shim {
namespace {

sqlite3_vfs* base() {
  static sqlite3_vfs* const found = [] {
    configure_sqlite();  // before the lookup initialises SQLite
    sqlite3_vfs* v = sqlite3_vfs_find(nullptr);
    if (!v || v->iVersion < 2) throw std::runtime_error("SQLite has no default VFS to build on");
    return v;
  }();
  return found;
}

const sqlite3_io_methods* m(sqlite3_file* f) { return real(f)->pMethods; }

int x_close(sqlite3_file* f) { return close_real(real(f)); }
int x_read(sqlite3_file* f, void* out, int n, sqlite3_int64 at) { return m(f)->xRead(real(f), out, n, at); }
int x_write(sqlite3_file* f, const void* data, int n, sqlite3_int64 at) { return m(f)->xWrite(real(f), data, n, at); }
int x_truncate(sqlite3_file* f, sqlite3_int64 size) { return m(f)->xTruncate(real(f), size); }
int x_sync(sqlite3_file* f, int flags) { return m(f)->xSync(real(f), flags); }
int x_file_size(sqlite3_file* f, sqlite3_int64* size) { return m(f)->xFileSize(real(f), size); }
int x_lock(sqlite3_file* f, int level) { return m(f)->xLock(real(f), level); }
int x_unlock(sqlite3_file* f, int level) { return m(f)->xUnlock(real(f), level); }
int x_check_reserved_lock(sqlite3_file* f, int* out) { return m(f)->xCheckReservedLock(real(f), out); }
int x_file_control(sqlite3_file* f, int op, void* arg) { return m(f)->xFileControl(real(f), op, arg); }
int x_sector_size(sqlite3_file* f) { return m(f)->xSectorSize(real(f)); }
int x_device_characteristics(sqlite3_file* f) { return m(f)->xDeviceCharacteristics(real(f)); }
int x_shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return m(f)->xShmMap(real(f), region, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) { return m(f)->xShmLock(real(f), offset, n, flags); }
void x_shm_barrier(sqlite3_file* f) { m(f)->xShmBarrier(real(f)); }
int x_shm_unmap(sqlite3_file* f, int delete_flag) { return m(f)->xShmUnmap(real(f), delete_flag); }
int x_fetch(sqlite3_file* f, sqlite3_int64 at, int n, void** out) { return m(f)->xFetch(real(f), at, n, out); }
int x_unfetch(sqlite3_file* f, sqlite3_int64 at, void* page) { return m(f)->xUnfetch(real(f), at, page); }

int x_delete(sqlite3_vfs*, const char* name, int sync_dir) { return base()->xDelete(base(), name, sync_dir); }
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) { return base()->xAccess(base(), name, flags, out); }
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return base()->xFullPathname(base(), name, n, out);
}
void* x_dl_open(sqlite3_vfs*, const char* name) { return base()->xDlOpen(base(), name); }
void x_dl_error(sqlite3_vfs*, int n, char* out) { base()->xDlError(base(), n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* lib, const char* sym))(void) { return base()->xDlSym(base(), lib, sym); }
void x_dl_close(sqlite3_vfs*, void* lib) { base()->xDlClose(base(), lib); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return base()->xRandomness(base(), n, out); }
int x_sleep(sqlite3_vfs*, int us) { return base()->xSleep(base(), us); }
int x_current_time(sqlite3_vfs*, double* out) { return base()->xCurrentTime(base(), out); }
int x_get_last_error(sqlite3_vfs*, int n, char* out) { return base()->xGetLastError(base(), n, out); }
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return base()->xCurrentTimeInt64(base(), out); }

}  // namespace

sqlite3_io_methods pass_through_methods(int version) {
  sqlite3_io_methods p{};
  p.iVersion = version;
  p.xClose = x_close;
  p.xRead = x_read;
  p.xWrite = x_write;
  p.xTruncate = x_truncate;
  p.xSync = x_sync;
  p.xFileSize = x_file_size;
  p.xLock = x_lock;
  p.xUnlock = x_unlock;
  p.xCheckReservedLock = x_check_reserved_lock;
  p.xFileControl = x_file_control;
  p.xSectorSize = x_sector_size;
  p.xDeviceCharacteristics = x_device_characteristics;
  if (version >= 2) {
    p.xShmMap = x_shm_map;
    p.xShmLock = x_shm_lock;
    p.xShmBarrier = x_shm_barrier;
    p.xShmUnmap = x_shm_unmap;
  }
  if (version >= 3) {
    p.xFetch = x_fetch;
    p.xUnfetch = x_unfetch;
  }
  return p;
}

int open_real(sqlite3_filename name, int flags, int* out_flags, sqlite3_file*& real) {
  auto* inner = static_cast<sqlite3_file*>(sqlite3_malloc(base()->szOsFile));
  if (!inner) return SQLITE_NOMEM;
  std::memset(inner, 0, static_cast<std::size_t>(base()->szOsFile));
  int rc = base()->xOpen(base(), name, inner, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (inner->pMethods) inner->pMethods->xClose(inner);
    sqlite3_free(inner);
    return rc;
  }
  real = inner;
  return SQLITE_OK;
}

int close_real(sqlite3_file* real) {
  int rc = real->pMethods->xClose(real);
  sqlite3_free(real);
  return rc;
}

int open_plain(sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  return base()->xOpen(base(), name, f, flags, out_flags);
}

void register_vfs(sqlite3_vfs& vfs, const char* name, int file_size,
                  int (*open)(sqlite3_vfs*, sqlite3_filename, sqlite3_file*, int, int*)) {
  vfs = sqlite3_vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = std::max(base()->szOsFile, file_size);
  vfs.mxPathname = base()->mxPathname;
  vfs.zName = name;
  vfs.xOpen = open;
  vfs.xDelete = x_delete;
  vfs.xAccess = x_access;
  vfs.xFullPathname = x_full_pathname;
  vfs.xDlOpen = x_dl_open;
  vfs.xDlError = x_dl_error;
  vfs.xDlSym = x_dl_sym;
  vfs.xDlClose = x_dl_close;
  vfs.xRandomness = x_randomness;
  vfs.xSleep = x_sleep;
  vfs.xCurrentTime = x_current_time;
  vfs.xGetLastError = x_get_last_error;
  vfs.xCurrentTimeInt64 = x_current_time_int64;
  if (sqlite3_vfs_register(&vfs, 0) != SQLITE_OK) throw std::runtime_error(std::string("cannot register the VFS ") + name);
}

}  // namespace cc::store::vfs_shim
