#pragma once
// Everything a handler may call, wired by the App.
#include "service/auth.hpp"
#include "service/settings.hpp"
#include "store/store.hpp"

namespace cc {
class Metrics;
}

namespace cc::api {

struct Services {
  store::Store& store;
  service::Settings& settings;
  service::Auth& auth;
  Metrics& metrics;
};

}  // namespace cc::api
