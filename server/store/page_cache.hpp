#pragma once
// SQLite's own page cache, with a truncate that scans only when there is something to drop.
//
// Why: at the end of every write transaction SQLite truncates its page cache to the
// database's size. Its cache remembers the highest page number it has held, and scans
// its whole hash table (a cache miss per cached page: 16,384 pages for the writer's 64 MiB)
// whenever that number is past the end. A B-tree page split that reorders the new pages
// swaps their numbers through a temporary one, the lock page's (262,145 for 4 KiB pages),
// far past the end, so almost every batch of votes or new ideas paid a full scan: a tenth
// of the writer's time. This cache knows which pages it really holds past the end: none
// once a swap is over, so it passes a truncate on only when one of them may be past the
// limit.
#include <cstdint>

namespace cc::store::page_cache {

// Installs the cache for every connection opened after it. Must run before SQLite
// initialises; returns SQLite's answer (SQLITE_MISUSE if it already had).
int install();

// Since the process started (for tests): how many truncates were passed on to SQLite's
// cache, and how many page-number swaps parked a page under the lock page's number.
std::uint64_t truncates_passed_on();
std::uint64_t swaps_parked();

}  // namespace cc::store::page_cache
