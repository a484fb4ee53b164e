#include "store/sqlite_setup.hpp"

#include "store/page_cache.hpp"

#include <sqlite3.h>

#include <mutex>

namespace cc::store {
namespace {
std::once_flag once;
bool configured = false;
}  // namespace

void configure_sqlite() {
  std::call_once(once, [] {
    configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK && page_cache::install() == SQLITE_OK;
  });
}

bool sqlite_configured() {
  configure_sqlite();
  return configured;
}

}  // namespace cc::store
