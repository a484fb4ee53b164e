#include "store/page_cache.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>

namespace cc::store::page_cache {
namespace {

sqlite3_pcache_methods2 base;  // SQLite's own cache, which does the work
std::atomic<std::uint64_t> passed_on{0}, parked_swaps{0};

// One cache, as SQLite holds it. Each cache belongs to one connection's pager, which calls
// it from one thread at a time, so its counts need no lock.
struct Cache {
  sqlite3_pcache* inner;
  unsigned lock_page;      // the page number SQLite never stores, used for swaps
  unsigned highest = 0;    // no page held has a higher number, except those parked below
  unsigned parked = 0;     // pages held under lock_page, in the middle of a swap
};

Cache* of(sqlite3_pcache* p) { return reinterpret_cast<Cache*>(p); }

sqlite3_pcache* x_create(int page_size, int extra, int purgeable) {
  sqlite3_pcache* inner = base.xCreate(page_size, extra, purgeable);
  if (!inner) return nullptr;
  auto* c = static_cast<Cache*>(sqlite3_malloc(sizeof(Cache)));
  if (!c) {
    base.xDestroy(inner);
    return nullptr;
  }
  // The lock page holds the byte at 1 GiB that SQLite's file locks use (PENDING_BYTE).
  *c = Cache{inner, static_cast<unsigned>(0x40000000 / page_size) + 1};
  return reinterpret_cast<sqlite3_pcache*>(c);
}

void x_cachesize(sqlite3_pcache* p, int n) { base.xCachesize(of(p)->inner, n); }
int x_pagecount(sqlite3_pcache* p) { return base.xPagecount(of(p)->inner); }

sqlite3_pcache_page* x_fetch(sqlite3_pcache* p, unsigned key, int create) {
  Cache* c = of(p);
  sqlite3_pcache_page* page = base.xFetch(c->inner, key, create);
  if (page && create && key > c->highest && key != c->lock_page) c->highest = key;
  return page;
}

void x_unpin(sqlite3_pcache* p, sqlite3_pcache_page* page, int discard) { base.xUnpin(of(p)->inner, page, discard); }

void x_rekey(sqlite3_pcache* p, sqlite3_pcache_page* page, unsigned from, unsigned to) {
  Cache* c = of(p);
  base.xRekey(c->inner, page, from, to);
  if (from == c->lock_page && c->parked > 0) --c->parked;
  if (to == c->lock_page) {
    ++c->parked;
    ++parked_swaps;
  } else {
    c->highest = std::max(c->highest, to);
  }
}

void x_truncate(sqlite3_pcache* p, unsigned limit) {
  // Drops every page numbered `limit` or higher.
  Cache* c = of(p);
  if (c->highest < limit && (c->parked == 0 || c->lock_page < limit)) return;
  ++passed_on;
  base.xTruncate(c->inner, limit);
  c->highest = limit == 0 ? 0 : std::min(c->highest, limit - 1);
  if (c->lock_page >= limit) c->parked = 0;
}

void x_destroy(sqlite3_pcache* p) {
  base.xDestroy(of(p)->inner);
  sqlite3_free(p);
}

void x_shrink(sqlite3_pcache* p) { base.xShrink(of(p)->inner); }

int x_init(void*) { return base.xInit ? base.xInit(base.pArg) : SQLITE_OK; }
void x_shutdown(void*) {
  if (base.xShutdown) base.xShutdown(base.pArg);
}

}  // namespace

int install() {
  if (int rc = sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &base); rc != SQLITE_OK) return rc;
  static sqlite3_pcache_methods2 methods{};
  methods = base;
  methods.pArg = nullptr;
  methods.xInit = x_init;
  methods.xShutdown = x_shutdown;
  methods.xCreate = x_create;
  methods.xCachesize = x_cachesize;
  methods.xPagecount = x_pagecount;
  methods.xFetch = x_fetch;
  methods.xUnpin = x_unpin;
  methods.xRekey = x_rekey;
  methods.xTruncate = x_truncate;
  methods.xDestroy = x_destroy;
  methods.xShrink = x_shrink;
  return sqlite3_config(SQLITE_CONFIG_PCACHE2, &methods);
}

std::uint64_t truncates_passed_on() { return passed_on.load(); }
std::uint64_t swaps_parked() { return parked_swaps.load(); }

}  // namespace cc::store::page_cache
