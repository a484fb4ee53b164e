#pragma once
// Process metrics in the Prometheus text format (GET /metrics): requests by route,
// method and status, a latency histogram, open connections, write batch sizes.
#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace cc {

class Metrics {
public:
  void observe_request(std::string_view route, std::string_view method, int status, double seconds);
  void observe_write_batch(std::size_t commands, double seconds);
  void connection_opened() { ++http_connections_; }
  void connection_closed() { --http_connections_; }
  void websocket_opened() { ++websockets_; }
  void websocket_closed() { --websockets_; }
  void event_delivered(std::size_t n = 1) { events_delivered_ += n; }
  void slow_consumer_closed() { ++slow_consumers_; }

  std::string render() const;

private:
  static constexpr std::array<double, 12> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                             0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  static constexpr std::array<double, 8> kBatchBuckets = {1, 2, 4, 8, 16, 64, 256, 1024};

  mutable std::mutex mutex_;
  // Orders (route, method, status) keys held as strings or as views alike, so a request's
  // counter is found without building strings (every compiler's tuple can't compare the two).
  struct RequestKeyLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const { return view(a) < view(b); }
    template <class T>
    static std::tuple<std::string_view, std::string_view, int> view(const T& k) {
      return {std::get<0>(k), std::get<1>(k), std::get<2>(k)};
    }
  };
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t, RequestKeyLess> requests_;
  std::array<std::uint64_t, kLatencyBuckets.size() + 1> latency_{};
  double latency_sum_ = 0;
  std::uint64_t latency_count_ = 0;
  std::array<std::uint64_t, kBatchBuckets.size() + 1> batches_{};
  std::uint64_t batch_sum_ = 0;
  std::uint64_t batch_count_ = 0;
  double batch_seconds_ = 0;

  std::atomic<std::int64_t> http_connections_{0};
  std::atomic<std::int64_t> websockets_{0};
  std::atomic<std::uint64_t> events_delivered_{0};
  std::atomic<std::uint64_t> slow_consumers_{0};
};

}  // namespace cc
