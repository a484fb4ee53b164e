#pragma once
// One consistent view of the data for the whole of a read request: the session, the
// access checks and the answer all come from one snapshot of the database, in one read
// transaction on this thread's reader, rather than each opening its own. Reads inside
// it (each service's ReadTx) join it; writes go to the writer as always.
#include "store/store.hpp"

namespace cc::service {

class ReadScope {
public:
  explicit ReadScope(store::Store& store) : tx_(store.reader()) {}

private:
  store::ReadTx tx_;
};

}  // namespace cc::service
