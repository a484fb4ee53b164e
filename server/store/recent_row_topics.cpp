#include "store/recent_row_topics.hpp"

#include <algorithm>

namespace cc::store {

RecentRowTopics::RecentRowTopics(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

void RecentRowTopics::add(std::int64_t seq, std::int64_t challenge_id, std::int64_t idea_id) {
  std::lock_guard lock(mutex_);
  add_locked(seq, challenge_id, idea_id);
}

void RecentRowTopics::add(const EventBatch& events) {
  std::lock_guard lock(mutex_);
  for (const auto& e : events) add_locked(e->seq, e->challenge_id, e->idea_id);
}

void RecentRowTopics::add_locked(std::int64_t seq, std::int64_t challenge_id, std::int64_t idea_id) {
  const std::int64_t next = first_seq_ + static_cast<std::int64_t>(rows_.size());
  if (!rows_.empty() && seq < next) return;
  if (rows_.empty() || seq > next) {  // the first event, or one after a gap
    rows_.clear();
    oldest_ = 0;
    first_seq_ = seq;
  }
  if (rows_.size() < capacity_) {
    rows_.push_back({challenge_id, idea_id});
    return;
  }
  rows_[oldest_] = {challenge_id, idea_id};
  oldest_ = (oldest_ + 1) % rows_.size();
  ++first_seq_;
}

RecentRowTopics::Answered RecentRowTopics::window() const {
  std::lock_guard lock(mutex_);
  if (rows_.empty()) return {};
  return {first_seq_ - 1, first_seq_ - 1 + static_cast<std::int64_t>(rows_.size()), 0};
}

RecentRowTopics::Answered RecentRowTopics::find(const std::vector<std::int64_t>& challenges,
                                                const std::vector<std::int64_t>& ideas, std::int64_t since,
                                                std::int64_t through, int limit, std::set<std::int64_t>& seqs) const {
  std::lock_guard lock(mutex_);
  if (rows_.empty()) return {since, since, 0};
  const std::int64_t newest = first_seq_ - 1 + static_cast<std::int64_t>(rows_.size());
  Answered out;
  out.after = std::max(since, first_seq_ - 1);
  out.through = std::min(through, newest);
  if (out.after >= out.through) return {since, since, 0};
  const auto named = [](const std::vector<std::int64_t>& ids, std::int64_t id) {
    return id && std::find(ids.begin(), ids.end(), id) != ids.end();
  };
  for (std::int64_t seq = out.after + 1; seq <= out.through; ++seq) {
    const Row& row = rows_[(oldest_ + static_cast<std::size_t>(seq - first_seq_)) % rows_.size()];
    if (!named(challenges, row.challenge_id) && !named(ideas, row.idea_id)) continue;
    seqs.insert(seq);
    if (++out.found >= limit) {
      out.through = seq;
      break;
    }
  }
  return out;
}

}  // namespace cc::store
