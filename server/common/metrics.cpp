#include "common/metrics.hpp"

#include <cstdio>

namespace cc {

void Metrics::observe_request(std::string_view route, std::string_view method, int status, double seconds) {
  std::size_t i = 0;
  while (i < kLatencyBuckets.size() && seconds > kLatencyBuckets[i]) ++i;
  // Every request passes here under one lock: find its counter without building the key's
  // strings, which only the first request of a route, method and status needs.
  std::lock_guard lock(mutex_);
  auto it = requests_.find(std::make_tuple(route, method, status));
  if (it == requests_.end()) it = requests_.emplace(std::make_tuple(std::string(route), std::string(method), status), 0).first;
  ++it->second;
  ++latency_[i];
  latency_sum_ += seconds;
  ++latency_count_;
}

void Metrics::observe_write_batch(std::size_t commands, double seconds) {
  std::lock_guard lock(mutex_);
  std::size_t i = 0;
  while (i < kBatchBuckets.size() && static_cast<double>(commands) > kBatchBuckets[i]) ++i;
  ++batches_[i];
  batch_sum_ += commands;
  ++batch_count_;
  batch_seconds_ += seconds;
}

namespace {
std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}
std::string label(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') { out += "\\n"; continue; }
    out += c;
  }
  return out;
}
}  // namespace

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP carecrowd_http_requests_total HTTP requests by route, method and status.\n";
  out += "# TYPE carecrowd_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out += "carecrowd_http_requests_total{route=\"" + label(route) + "\",method=\"" + label(method) +
           "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP carecrowd_http_request_duration_seconds Time from a complete request to its response.\n";
  out += "# TYPE carecrowd_http_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    cumulative += latency_[i];
    out += "carecrowd_http_request_duration_seconds_bucket{le=\"" + num(kLatencyBuckets[i]) + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  cumulative += latency_.back();
  out += "carecrowd_http_request_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out += "carecrowd_http_request_duration_seconds_sum " + num(latency_sum_) + "\n";
  out += "carecrowd_http_request_duration_seconds_count " + std::to_string(latency_count_) + "\n";
  out += "# HELP carecrowd_http_connections Open HTTP connections.\n# TYPE carecrowd_http_connections gauge\n";
  out += "carecrowd_http_connections " + std::to_string(http_connections_.load()) + "\n";
  out += "# HELP carecrowd_websockets Open WebSocket connections.\n# TYPE carecrowd_websockets gauge\n";
  out += "carecrowd_websockets " + std::to_string(websockets_.load()) + "\n";
  out += "# HELP carecrowd_events_delivered_total Events sent to WebSocket clients.\n";
  out += "# TYPE carecrowd_events_delivered_total counter\n";
  out += "carecrowd_events_delivered_total " + std::to_string(events_delivered_.load()) + "\n";
  out += "# HELP carecrowd_slow_consumers_closed_total WebSockets closed for not keeping up.\n";
  out += "# TYPE carecrowd_slow_consumers_closed_total counter\n";
  out += "carecrowd_slow_consumers_closed_total " + std::to_string(slow_consumers_.load()) + "\n";
  out += "# HELP carecrowd_db_write_batch_size Write commands committed per transaction.\n";
  out += "# TYPE carecrowd_db_write_batch_size histogram\n";
  cumulative = 0;
  for (std::size_t i = 0; i < kBatchBuckets.size(); ++i) {
    cumulative += batches_[i];
    out += "carecrowd_db_write_batch_size_bucket{le=\"" + num(kBatchBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
  }
  cumulative += batches_.back();
  out += "carecrowd_db_write_batch_size_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out += "carecrowd_db_write_batch_size_sum " + std::to_string(batch_sum_) + "\n";
  out += "carecrowd_db_write_batch_size_count " + std::to_string(batch_count_) + "\n";
  out += "# HELP carecrowd_db_write_batch_seconds_total Time spent in write transactions.\n";
  out += "# TYPE carecrowd_db_write_batch_seconds_total counter\n";
  out += "carecrowd_db_write_batch_seconds_total " + num(batch_seconds_) + "\n";
  return out;
}

}  // namespace cc
