#pragma once
// Wires the program together: store, services, API routes, live hub and network.
#include <memory>
#include <string>

#include "app/config.hpp"

namespace cc::app {

class App {
public:
  explicit App(Config config);
  ~App();
  // Opens the database (creating and migrating it) and binds the port. Throws with a
  // clear message when it cannot. Returns the base URL.
  std::string start();
  // Serves until SIGINT/SIGTERM or shutdown(); returns after a clean stop.
  void run();
  void shutdown();

private:
  struct Parts;
  Config config_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace cc::app
