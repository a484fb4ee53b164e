#pragma once
// A VFS over SQLite's own that gathers the writes of a commit to the WAL and hands them
// to the file system at once, when SQLite syncs the WAL (or reads it, sizes it,
// truncates it, closes it).
//
// Why: SQLite writes each WAL frame as two system calls (its 24-byte header, then the
// page), so a batch of votes made about 13 pwrite calls a vote, each a costly trip into
// this VM's kernel, on the one thread every write waits for. Gathered, a batch is one
// pwrite of consecutive frames.
//
// Safe only for a connection that syncs every commit (synchronous = FULL, which the
// store requires): a commit's frames are synced (or, deferred, at least written)
// before SQLite publishes them to other connections in the WAL index. Frames a
// transaction spills early, before its commit, are read back only by the writer itself,
// through this file, which writes what it holds before any read. A crash loses only what no commit had acknowledged:
// SQLite's recovery ignores frames that never reached the disk, as after any crash.
namespace cc::store {

// Registers the VFS (once; not as the default) and returns its name, for the writer.
const char* wal_buffer_vfs();

// While one lives, a sync of a WAL on this thread only writes out what is gathered and
// leaves the flush to the disk to the store's WalSyncer (store/wal_syncer.hpp). Only
// around a commit, never a checkpoint, which must find the WAL on disk before it copies
// it into the database.
class DeferredWalSync {
public:
  explicit DeferredWalSync(bool defer);
  ~DeferredWalSync();
  DeferredWalSync(const DeferredWalSync&) = delete;
  DeferredWalSync& operator=(const DeferredWalSync&) = delete;

private:
  bool was_;
};

}  // namespace cc::store
