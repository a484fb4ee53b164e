#include "common/thread_name.hpp"

#include <pthread.h>

#include <cstring>

namespace cc {

void name_thread(std::thread& thread, const char* name) {
  char kept[16];
  std::strncpy(kept, name, sizeof kept - 1);
  kept[sizeof kept - 1] = '\0';
  // A failure leaves the inherited name: nothing depends on it.
  ::pthread_setname_np(thread.native_handle(), kept);
}

}  // namespace cc
