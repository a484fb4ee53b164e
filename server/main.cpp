// carecrowd: the server. Flags → Config → open store → migrate → serve; SIGINT/SIGTERM
// stop it cleanly with exit status 0.
#include <cstdio>

#include "app/app.hpp"
#include "app/config.hpp"

int main(int argc, char** argv) {
  cc::app::Config config;
  try {
    bool help = false;
    config = cc::app::load_config(argc, argv, help);
    if (help) {
      std::fputs(cc::app::usage().c_str(), stdout);
      return 0;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "carecrowd: %s\n", e.what());
    return 2;
  }
  try {
    cc::app::App app(config);
    auto url = app.start();
    std::printf("listening on %s\n", url.c_str());
    std::fflush(stdout);
    app.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "carecrowd: %s\n", e.what());
    return 1;
  }
  return 0;
}
