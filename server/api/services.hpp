#pragma once
// Everything a handler may call, wired by the App.
#include "auth/rate_limiter.hpp"
#include "common/worker_pool.hpp"
#include "service/auth.hpp"
#include "service/challenges.hpp"
#include "service/comments.hpp"
#include "service/feed.hpp"
#include "service/ideas.hpp"
#include "service/metrics.hpp"
#include "service/moderation.hpp"
#include "service/recent_writes.hpp"
#include "service/settings.hpp"
#include "service/workshops.hpp"
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
  service::Challenges& challenges;
  service::Ideas& ideas;
  service::Comments& comments;
  service::Moderation& moderation;
  service::Feed& feed;
  service::Workshops& workshops;
  auth::RateLimiter& write_limiter;  // contributions per user per minute
  service::ImpactMetrics& impact;
  WorkerPool& slow_reads;  // reads of tens of milliseconds, off the I/O threads (answer_apart)
  service::RecentWrites& recent_writes;  // each person's latest write (every API write notes it)
};

}  // namespace cc::api
