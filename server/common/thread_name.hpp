#pragma once
// Names a thread, so that `top -H`, `perf` and /proc/<pid>/task/*/comm tell the writer
// from the network threads and the syncer: under load the first question is which
// thread is busy, and every thread was "carecrowd". The creator names the thread it has
// just started, so the name is there as soon as the thread is. The main thread keeps the
// process's name, which `pgrep` and `pkill` match.
#include <thread>

namespace cc {

// At most 15 characters are kept (the kernel's limit).
void name_thread(std::thread& thread, const char* name);

}  // namespace cc
