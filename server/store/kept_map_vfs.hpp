#pragma once
// A VFS over SQLite's own that keeps a reader's memory map of the database file across
// commits, for the read-only connections (which map the file: store/connection.cpp).
//
// Why: whenever another connection has committed since a reader's last read, SQLite
// drops the reader's whole mapping as its next read begins (so that the mapping
// follows the file's size), and that read pays an munmap of the mapping, a new mmap
// and a page fault for every page it touches again. Under new ideas that was about 170
// munmap calls a second and a fifth of each I/O thread. The mapping is shared with the
// file, so its pages always show the file's current content: only a change of the
// file's size needs a new one. This VFS passes the drop on only then.
#include <cstdint>

namespace cc::store {

// Registers the VFS (once; not as the default) and returns its name.
const char* kept_map_vfs();

// How many times a mapping was dropped since the process started (for tests).
std::uint64_t kept_map_drops();

}  // namespace cc::store
