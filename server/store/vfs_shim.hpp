#pragma once
// What the store's own VFSs (wal_buffer_vfs, kept_map_vfs) share. Each is SQLite's
// default VFS except for the files it wraps; a wrapped file holds the default VFS's file
// (`real`) and passes on every call it does not change.
#include <sqlite3.h>

#include <new>

namespace cc::store::vfs_shim {

// A wrapped file as SQLite sees it: a shim's own file struct starts with it.
struct File {
  sqlite3_file base;   // first: what SQLite holds, with the shim's methods
  sqlite3_file* real;  // the default VFS's file, in memory of its own
};

inline sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

// Methods of version `version` that pass every call on to the real file; a shim starts
// from these and replaces what it changes. xClose closes and frees the real file only:
// a shim with state of its own replaces it too and calls close_real.
sqlite3_io_methods pass_through_methods(int version);

// Opens `name` with the default VFS into memory of its own, set in `real` on success.
int open_real(sqlite3_filename name, int flags, int* out_flags, sqlite3_file*& real);
int close_real(sqlite3_file* real);

// Opens `name` with the default VFS and makes `f` a `Wrapper` over it (a struct that
// starts with File), with `methods`.
template <class Wrapper>
int open_wrapped(sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags, const sqlite3_io_methods* methods) {
  sqlite3_file* inner = nullptr;
  if (int rc = open_real(name, flags, out_flags, inner); rc != SQLITE_OK) {
    f->pMethods = nullptr;
    return rc;
  }
  auto* w = new (f) Wrapper{};
  w->file.base.pMethods = methods;
  w->file.real = inner;
  return SQLITE_OK;
}

// Opens `name` with the default VFS into `f` itself (a file the shim leaves alone).
int open_plain(sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags);

// Fills `vfs` as the default VFS named `name`, opening files with `open` into
// `file_size` bytes (at least the default VFS's own), and registers it, not as the
// default. Throws if there is no default VFS to build on or SQLite refuses it.
void register_vfs(sqlite3_vfs& vfs, const char* name, int file_size,
                  int (*open)(sqlite3_vfs*, sqlite3_filename, sqlite3_file*, int, int*));

}  // namespace cc::store::vfs_shim
