#include "live/live_hub.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "domain/error.hpp"
#include "http/responses.hpp"
#include "json/writer.hpp"
#include "store/events_repo.hpp"
#include "store/users_repo.hpp"

namespace cc::live {

using Json = nlohmann::json;

namespace {
domain::Viewer viewer_of(const Identity& who) { return domain::Viewer{who.user_id, static_cast<domain::Role>(who.role)}; }

bool may_receive(const store::EventRecord& e, const Identity& who) {
  switch (e.audience) {
    case store::Audience::owner: return e.owner_id == who.user_id;
    case store::Audience::privileged: return who.role >= static_cast<int>(domain::Role::design_group);
    case store::Audience::everyone: return true;
  }
  return false;
}

std::shared_ptr<const std::string> text(const Json& j) { return std::make_shared<const std::string>(cc::json::to_text(j)); }
}  // namespace

LiveHub::LiveHub(store::Store& store, service::Auth& auth, HubOptions options)
    : store_(store), auth_(auth), options_(options) {
  published_seq_ = store::latest_seq(store_.reader());
}

std::shared_ptr<const std::string> LiveHub::event_message(std::int64_t seq, const std::string& topic,
                                                         const std::string& type, const std::string& data) {
  std::string m;
  m.reserve(data.size() + topic.size() + type.size() + 64);
  m += R"({"op":"event","seq":)";
  m += std::to_string(seq);
  m += R"(,"topic":)";
  m += Json(topic).dump();
  m += R"(,"type":)";
  m += Json(type).dump();
  m += R"(,"data":)";
  m += data;
  m += '}';
  return std::make_shared<const std::string>(std::move(m));
}

std::shared_ptr<const std::string> LiveHub::error_message(const std::string& code, const std::string& message,
                                                         const std::string& topic) {
  Json j = {{"op", "error"}, {"code", code}, {"message", message}};
  if (!topic.empty()) j["topic"] = topic;
  return text(j);
}

void LiveHub::send_error(Peer& peer, const std::string& code, const std::string& message, const std::string& topic) {
  peer.send(error_message(code, message, topic));
}

std::optional<http::Response> LiveHub::admit(const http::Request& req, Identity& who) {
  // Same origin only: a page elsewhere must not ride on the user's cookie.
  if (const std::string* origin = req.header("origin")) {
    const std::string* host = req.header("host");
    if (!host || *origin != (req.tls ? "https://" : "http://") + *host)
      return http::error_response(403, "forbidden", "live updates are only for this site's own pages");
  }
  auto token = req.cookie("cc_session");
  auto session = token ? auth_.resolve(*token) : std::nullopt;
  if (!session) return http::error_response(401, "unauthenticated", "please sign in");
  {
    std::lock_guard lock(mutex_);
    auto it = sockets_per_user_.find(session->user().id);
    if (it != sockets_per_user_.end() && it->second >= options_.max_sockets_per_user) {
      auto r = http::error_response(429, "rate_limited", "too many live connections for this account");
      r.set("Retry-After", "30");
      return r;
    }
  }
  who = Identity{session->user().id, session->session_id(), static_cast<int>(session->user().role)};
  return std::nullopt;
}

void LiveHub::attach(const std::shared_ptr<Peer>& peer) {
  auto st = std::make_shared<PeerState>();
  st->peer = peer;
  st->who = peer->identity();
  std::lock_guard lock(mutex_);
  peers_[peer.get()] = st;
  ++sockets_per_user_[st->who.user_id];
}

void LiveHub::detach(Peer* peer) {
  std::lock_guard lock(mutex_);
  auto it = peers_.find(peer);
  if (it == peers_.end()) return;
  auto& st = *it->second;
  for (const auto& t : st.topics) {
    auto tt = topics_.find(t);
    if (tt == topics_.end()) continue;
    tt->second.erase(&st);
    if (tt->second.empty()) topics_.erase(tt);
  }
  auto u = sockets_per_user_.find(st.who.user_id);
  if (u != sockets_per_user_.end() && --u->second == 0) sockets_per_user_.erase(u);
  peers_.erase(it);
}

std::size_t LiveHub::peer_count() const {
  std::lock_guard lock(mutex_);
  return peers_.size();
}

void LiveHub::receive(const std::shared_ptr<Peer>& peer, std::string_view message) {
  std::shared_ptr<PeerState> st;
  {
    std::lock_guard lock(mutex_);
    auto it = peers_.find(peer.get());
    if (it == peers_.end()) return;
    st = it->second;
  }
  // Flood control: past the rate, refuse; far past it, hang up.
  auto now = now_seconds();
  if (st->window_start != now) {
    st->window_start = now;
    st->window_count = 0;
  }
  if (++st->window_count > options_.messages_per_second) {
    if (st->window_count > options_.messages_per_second * 10) return peer->close(1008);
    return send_error(*peer, "rate_limited", "too many messages; slow down");
  }
  // Messages count as activity for the session's idle timeout (written now and then).
  if (now - st->last_touch >= auth_.activity_write_seconds()) {
    st->last_touch = now;
    auth_.touch(st->who.session_id);
  }
  auto j = Json::parse(message, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("op") || !j["op"].is_string())
    return send_error(*peer, "bad_request", "send a JSON object with an op");
  auto op = j["op"].get<std::string>();
  if (op == "ping") return peer->send(text({{"op", "pong"}}));
  if (op != "subscribe" && op != "unsubscribe") return send_error(*peer, "bad_request", "unknown op: " + op.substr(0, 40));
  auto topics_it = j.find("topics");
  if (topics_it == j.end() || !topics_it->is_array() || topics_it->empty() || topics_it->size() > 50)
    return send_error(*peer, "validation_failed", "topics must be a list of 1 to 50 topic names");
  std::vector<std::string> topics;
  for (const auto& t : *topics_it) {
    if (!t.is_string() || t.get<std::string>().size() > 64)
      return send_error(*peer, "validation_failed", "each topic must be a name like \"challenge:3\"");
    topics.push_back(t.get<std::string>());
  }
  if (op == "unsubscribe") {
    unsubscribe(*st, topics);
    return peer->send(text({{"op", "unsubscribed"}, {"topics", topics}}));
  }
  std::optional<std::int64_t> since;
  if (auto s = j.find("since"); s != j.end() && !s->is_null()) {
    if (!s->is_number_integer() || s->get<std::int64_t>() < 0)
      return send_error(*peer, "validation_failed", "since must be a whole number, 0 or more");
    since = s->get<std::int64_t>();
  }
  subscribe(peer, *st, topics, since);
}

void LiveHub::unsubscribe(PeerState& st, const std::vector<std::string>& topics) {
  std::lock_guard lock(mutex_);
  for (const auto& t : topics) {
    if (!st.topics.erase(t)) continue;
    auto tt = topics_.find(t);
    if (tt == topics_.end()) continue;
    tt->second.erase(&st);
    if (tt->second.empty()) topics_.erase(tt);
  }
}

void LiveHub::subscribe(const std::shared_ptr<Peer>& peer, PeerState& st, const std::vector<std::string>& topics,
                        std::optional<std::int64_t> since) {
  auto viewer = viewer_of(st.who);
  auto& reader = store_.reader();
  std::vector<std::string> accepted;
  for (const auto& t : topics) {
    try {
      service::Feed::check_topic(reader, viewer, t);
      accepted.push_back(t);
    } catch (const domain::Error& e) {
      send_error(*peer, e.code(), e.what(), t);
    }
  }
  if (accepted.empty()) return;
  std::unordered_set<std::string> already;
  std::int64_t seq_now = 0;
  {
    std::lock_guard lock(mutex_);
    if (st.topics.size() + accepted.size() > options_.max_topics_per_peer)
      return send_error(*peer, "conflict", "too many topics on one connection");
    already = st.topics;
    for (const auto& t : accepted) {
      st.topics.insert(t);
      topics_[t].insert(&st);
    }
    seq_now = published_seq_;
    if (since) {
      st.replaying = true;
      st.buffer.clear();
      st.buffer_overflow = false;
    }
  }
  Sends out;  // in order: the acknowledgement, the replay, then what arrived meanwhile
  out.emplace_back(peer, text({{"op", "subscribed"}, {"topics", accepted}, {"seq", seq_now}}));
  if (!since) return deliver(std::move(out));

  // Replay what was missed from the log, then hand over to live delivery: events
  // published meanwhile were buffered, and those already replayed are skipped.
  std::unordered_set<std::int64_t> replayed;
  std::int64_t highest = 0;
  // One snapshot, and only events that are durable (and so published): those after
  // them come live, buffered meanwhile.
  store::ReadTx read(reader);
  auto page = store::events_since(reader, *since, accepted, static_cast<int>(options_.replay_limit) + 1,
                                  store_.events_durable_through(), &recent_);
  // More than a replay holds, or more than one read searches (store::EventsAfter).
  bool too_far = page.events.size() > options_.replay_limit || page.searched_through;
  if (!too_far) {
    for (const auto& e : page.events) {
      if (!may_receive(e, st.who)) continue;
      // Delivered before on a topic this connection already had: not again.
      bool on_old_topic = false;
      for (const auto& t : e.topics) on_old_topic = on_old_topic || already.count(t);
      if (on_old_topic && e.seq <= st.delivered_through) continue;
      auto data = service::Feed::visible_data(e, viewer);
      if (!data) continue;
      std::string topic;
      for (const auto& t : e.topics)
        if (std::find(accepted.begin(), accepted.end(), t) != accepted.end()) { topic = t; break; }
      out.emplace_back(peer, event_message(e.seq, topic, e.type, *data));
      replayed.insert(e.seq);
      highest = std::max(highest, e.seq);
    }
  }
  if (too_far)
    out.emplace_back(peer, error_message("too_far_behind",
                                         "more events were missed than can be replayed; reload, then subscribe again"));
  bool overflow = false;
  {
    std::lock_guard lock(mutex_);
    for (auto& [seq, msg] : st.buffer) {
      if (replayed.count(seq)) continue;
      out.emplace_back(peer, msg);
      highest = std::max(highest, seq);
    }
    overflow = st.buffer_overflow;
    st.buffer.clear();
    // Replayed but past what this hub has published (written by another process, such
    // as carecrowd-admin, whose events publish_others sends later): skipped when they
    // are, exactly these seqs, so that the events before them on the connection's other
    // topics still come. The replay reads nothing that waits for the disk.
    for (auto seq : replayed)
      if (seq > published_seq_) st.replayed_early.insert(seq);
    st.replaying = false;
    st.delivered_through = std::max(st.delivered_through, highest);
  }
  if (overflow) return peer->close(1013);
  deliver(std::move(out));
}

void LiveHub::publish(const store::EventBatch& events) {
  if (events.empty()) return;
  std::lock_guard order(publish_order_);
  // The server's own events come here in seq order with no gap between batches (a batch
  // rolled back gives its seqs back), so a gap before these holds events that another
  // process appended meanwhile: they go out first.
  if (events.front()->seq > published_seq_ + 1) publish_from_log(events.front()->seq - 1);
  fan_out(events);
}

void LiveHub::publish_others() {
  std::lock_guard order(publish_order_);
  publish_from_log(std::numeric_limits<std::int64_t>::max());
}

void LiveHub::publish_from_log(std::int64_t bound) {
  constexpr int kPage = 500;
  try {
    auto& reader = store_.reader();
    for (;;) {
      store::EventBatch page;
      {
        store::ReadTx read(reader);
        // Read once the snapshot has begun: the server's own events in it that wait for
        // their fsync are past this, and publish() sends them once they are durable.
        const auto through = std::min(bound, store_.events_durable_through());
        if (published_seq_ >= through) return;
        auto found = store::events_since(reader, published_seq_, {}, kPage, through);
        for (auto& e : found.events) page.push_back(std::make_shared<const store::EventRecord>(std::move(e)));
      }
      if (page.empty()) return;
      fan_out(page);
      if (page.size() < static_cast<std::size_t>(kPage)) return;
    }
  } catch (const std::exception& e) {
    // Their subscribers still get them by a replay (`since`); the server's own go on.
    log::error(std::string("event=publish_from_log_failed error=") + log::escape(e.what()));
  }
}

void LiveHub::fan_out(const store::EventBatch& events) {
  recent_.add(events);
  std::vector<std::pair<std::weak_ptr<Peer>, std::shared_ptr<const std::string>>> sends;
  {
    std::lock_guard lock(mutex_);
    for (const auto& ep : events) {
      const auto& e = *ep;
      published_seq_ = std::max(published_seq_, e.seq);
      for (const auto& topic : e.topics) {
        auto it = topics_.find(topic);
        if (it == topics_.end()) continue;
        std::shared_ptr<const std::string> pub, priv;
        for (PeerState* st : it->second) {
          if (st->stamp == e.seq || !may_receive(e, st->who)) continue;
          if (!st->replayed_early.empty()) {
            const bool sent = st->replayed_early.erase(e.seq) > 0;
            // Events are published in seq order: one below this one never will be
            // again.
            std::erase_if(st->replayed_early, [&](std::int64_t seq) { return seq < e.seq; });
            if (sent) {
              st->stamp = e.seq;
              continue;
            }
          }
          st->stamp = e.seq;
          bool privileged = st->who.role >= static_cast<int>(domain::Role::design_group) && !e.data_privileged.empty();
          auto& msg = privileged ? priv : pub;
          if (!msg) msg = event_message(e.seq, topic, e.type, privileged ? e.data_privileged : e.data);
          if (st->replaying) {
            if (st->buffer.size() < options_.replay_buffer_limit) st->buffer.emplace_back(e.seq, msg);
            else st->buffer_overflow = true;
            continue;
          }
          st->delivered_through = e.seq;
          sends.emplace_back(st->peer, msg);
        }
      }
    }
  }
  deliver(std::move(sends));
}

void LiveHub::deliver(Sends sends) {
  if (sends.empty()) return;
  if (!dispatch_) {
    for (auto& [weak, msg] : sends)
      if (auto p = weak.lock()) p->send(std::move(msg));
    return;
  }
  {
    std::lock_guard lock(outbox_mutex_);
    outbox_.push_back(std::move(sends));
    if (draining_) return;  // the running drain takes it, after what was queued before
    draining_ = true;
  }
  dispatch_([this] { drain(); });
}

void LiveHub::drain() {
  for (;;) {
    std::vector<Sends> batches;
    {
      std::lock_guard lock(outbox_mutex_);
      if (outbox_.empty()) {
        draining_ = false;
        return;
      }
      batches.swap(outbox_);
    }
    for (auto& sends : batches)
      for (auto& [weak, msg] : sends)
        if (auto p = weak.lock()) p->send(std::move(msg));
  }
}

void LiveHub::close_session(std::int64_t session_id, std::uint16_t code) {
  std::vector<std::shared_ptr<Peer>> to_close;
  {
    std::lock_guard lock(mutex_);
    for (auto& [raw, st] : peers_)
      if (st->who.session_id == session_id)
        if (auto p = st->peer.lock()) to_close.push_back(p);
  }
  for (auto& p : to_close) p->close(code);
}

void LiveHub::check_sessions() {
  std::unordered_map<std::int64_t, std::vector<std::shared_ptr<Peer>>> by_session;
  {
    std::lock_guard lock(mutex_);
    for (auto& [raw, st] : peers_)
      if (auto p = st->peer.lock()) by_session[st->who.session_id].push_back(p);
  }
  auto& c = store_.reader();
  auto now = now_seconds();
  for (auto& [sid, peers] : by_session) {
    auto st = c.prepare("SELECT s.revoked, s.expires_ts, s.last_seen_ts, u.status FROM sessions s "
                        "JOIN users u ON u.id = s.user_id WHERE s.id = ?");
    st->bind(1, sid);
    bool alive = false;
    if (st->executeStep()) {
      alive = st->getColumn(0).getInt() == 0 && now < st->getColumn(1).getInt64() &&
              now - auth_.last_seen(sid, st->getColumn(2).getInt64()) < auth_.options().idle_timeout_seconds &&
              st->getColumn(3).getString() == "active";
    }
    if (!alive)
      for (auto& p : peers) p->close(1008);
  }
}

void LiveHub::close_all(std::uint16_t code) {
  std::vector<std::shared_ptr<Peer>> all;
  {
    std::lock_guard lock(mutex_);
    for (auto& [raw, st] : peers_)
      if (auto p = st->peer.lock()) all.push_back(p);
  }
  for (auto& p : all) p->close(code);
}

}  // namespace cc::live
