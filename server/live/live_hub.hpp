#pragma once
// The hub behind /ws (SPEC §5): subscriptions by topic, replay from the event log with
// `since`, then live delivery in seq order with no gap and no duplicate.
//
// Publishing runs on the writer thread right after each commit. Under the hub's lock it
// only decides who gets what (and buffers for peers still replaying); it calls into
// peers after releasing the lock. Each event is serialised once per (topic, payload
// variant) and the same shared string is queued on every receiver.
//
// With a dispatcher (the server's I/O threads), the hand-over to thousands of peers runs
// there, not on the writer: the writer goes straight on to answer the writes it
// committed (a vote's answer no longer waits behind its own fan-out) and to the next
// batch. Every message the hub sends goes through one ordered outbox, drained by one
// task at a time, so each peer still gets its messages in the order the hub decided.
#include <atomic>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "live/hub.hpp"
#include "service/auth.hpp"
#include "service/feed.hpp"
#include "store/recent_row_topics.hpp"
#include "store/store.hpp"

namespace cc::live {

struct HubOptions {
  std::size_t max_topics_per_peer = 200;
  std::size_t max_sockets_per_user = 16;
  std::size_t replay_limit = 5000;          // events replayed for one subscribe
  std::size_t replay_buffer_limit = 20000;  // live events held while a peer replays
  int messages_per_second = 50;             // from one client; more is refused, 10x more closes
};

class LiveHub final : public Hub {
public:
  LiveHub(store::Store& store, service::Auth& auth, HubOptions options = {});

  std::optional<http::Response> admit(const http::Request& req, Identity& who) override;
  void attach(const std::shared_ptr<Peer>& peer) override;
  void receive(const std::shared_ptr<Peer>& peer, std::string_view text) override;
  void detach(Peer* peer) override;

  // After each commit is durable, in commit order (from the store's syncer thread).
  void publish(const store::EventBatch& events);
  // Publishes what other processes (carecrowd-admin) appended to the log since: run
  // periodically, so that their events reach subscribers while the server writes nothing.
  void publish_others();
  // Closes every socket of a session (logout) or of a user (disabled).
  void close_session(std::int64_t session_id, std::uint16_t code = 1008);
  // Closes sockets whose session has ended (expired, revoked, user disabled) — run periodically.
  void check_sessions();
  void close_all(std::uint16_t code);

  std::size_t peer_count() const;

  using Dispatch = std::function<void(std::function<void()>)>;
  // Where the outbox is drained; set before serving. Without one, sends happen inline.
  void dispatch_with(Dispatch d) { dispatch_ = std::move(d); }

private:
  using Sends = std::vector<std::pair<std::weak_ptr<Peer>, std::shared_ptr<const std::string>>>;
  void deliver(Sends sends);
  void drain();
  // With publish_order_ held: hands `events` (in seq order, after published_seq_) to the
  // peers subscribed to their topics.
  void fan_out(const store::EventBatch& events);
  // With publish_order_ held: reads the log's events after published_seq_, through
  // `bound` and never past what is durable, and fans them out.
  void publish_from_log(std::int64_t bound);

  struct PeerState {
    std::weak_ptr<Peer> peer;
    Identity who;
    std::unordered_set<std::string> topics;
    std::int64_t delivered_through = 0;  // highest seq delivered live or by replay
    std::int64_t stamp = 0;              // the seq of the event being fanned out (de-duplication)
    // Events a replay sent before they were published (committed, their fsync still to
    // come: store/wal_syncer.hpp): not sent again when they are.
    std::unordered_set<std::int64_t> replayed_early;
    bool replaying = false;
    std::vector<std::pair<std::int64_t, std::shared_ptr<const std::string>>> buffer;
    bool buffer_overflow = false;
    std::int64_t window_start = 0;
    int window_count = 0;
    std::int64_t last_touch = 0;
  };

  void subscribe(const std::shared_ptr<Peer>& peer, PeerState& st, const std::vector<std::string>& topics,
                 std::optional<std::int64_t> since);
  void unsubscribe(PeerState& st, const std::vector<std::string>& topics);
  static std::shared_ptr<const std::string> error_message(const std::string& code, const std::string& message,
                                                         const std::string& topic = {});
  static void send_error(Peer& peer, const std::string& code, const std::string& message,
                         const std::string& topic = {});
  static std::shared_ptr<const std::string> event_message(std::int64_t seq, const std::string& topic,
                                                         const std::string& type, const std::string& data);

  store::Store& store_;
  service::Auth& auth_;
  HubOptions options_;

  mutable std::mutex mutex_;
  std::unordered_map<Peer*, std::shared_ptr<PeerState>> peers_;
  std::unordered_map<std::string, std::unordered_set<PeerState*>> topics_;
  std::unordered_map<std::int64_t, std::size_t> sockets_per_user_;
  // The highest seq fanned out. Written under mutex_ by the publisher that holds
  // publish_order_; read by that publisher alone without mutex_.
  std::int64_t published_seq_ = 0;
  // The row topics of the events fanned out (all of them, in seq order), for replays.
  store::RecentRowTopics recent_;
  // One publisher at a time, so that events go out in seq order: the store's syncer
  // (the server's own events) and the scheduler (publish_others).
  std::mutex publish_order_;

  Dispatch dispatch_;
  std::mutex outbox_mutex_;
  std::vector<Sends> outbox_;
  bool draining_ = false;
};

}  // namespace cc::live
