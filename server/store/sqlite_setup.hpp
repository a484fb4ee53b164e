#pragma once
// SQLite's process-wide settings. SQLite takes them only before it initialises, which the
// first connection or VFS lookup does, so everything in the store that touches SQLite
// first calls configure_sqlite().
namespace cc::store {

// Once per process: no global memory statistics (their one mutex was the most contended
// lock in the server, a page of ideas making hundreds of allocations) and the store's
// page cache (store/page_cache.hpp). If something initialised SQLite before, SQLite
// refuses both and works as before, only slower; sqlite_configured() then says false.
void configure_sqlite();
bool sqlite_configured();

}  // namespace cc::store
