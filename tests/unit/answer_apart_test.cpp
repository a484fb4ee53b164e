// Slow reads run on their own pool: the I/O thread that took the request goes on at
// once, and the answer (or the error) comes from the pool.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "api/api.hpp"
#include "common/worker_pool.hpp"

using namespace cc;
using namespace std::chrono_literals;

namespace {

struct Answer {
  std::promise<std::pair<http::Response, std::thread::id>> promise;
  std::future<std::pair<http::Response, std::thread::id>> future = promise.get_future();
  http::Respond respond() {
    return [this](http::Response res) { promise.set_value({std::move(res), std::this_thread::get_id()}); };
  }
};

}  // namespace

TEST(AnswerApart, TheCallerGoesOnWhileThePoolMakesTheAnswer) {
  WorkerPool pool(1, 4);
  http::Request req;
  Answer answer;
  api::Call call{req, answer.respond(), std::nullopt};
  std::promise<void> release;
  auto released = release.get_future().share();
  api::answer_apart(pool, call, [released] {
    released.wait();  // a read that takes its time
    return http::json_response(200, {{"ok", true}});
  });
  // Back here while the read still runs: had it run on this thread, the wait would hang.
  EXPECT_EQ(answer.future.wait_for(50ms), std::future_status::timeout);
  release.set_value();
  ASSERT_EQ(answer.future.wait_for(5s), std::future_status::ready);
  auto [res, thread] = answer.future.get();
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, R"({"ok":true})");
  EXPECT_NE(thread, std::this_thread::get_id());
}

TEST(AnswerApart, AnErrorIsAnsweredAsAnyOther) {
  WorkerPool pool(1, 4);
  http::Request req;
  Answer answer;
  api::Call call{req, answer.respond(), std::nullopt};
  api::answer_apart(pool, call, []() -> http::Response { throw domain::not_found("challenge"); });
  ASSERT_EQ(answer.future.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(answer.future.get().first.status, 404);
}

TEST(AnswerApart, AFullQueueIsRefusedWith503) {
  WorkerPool pool(1, 1);
  std::promise<void> release;
  auto released = release.get_future().share();
  http::Request req;
  Answer first, second;
  api::Call a{req, first.respond(), std::nullopt}, b{req, second.respond(), std::nullopt};
  auto slow = [released] {
    released.wait();
    return http::json_response(200, {});
  };
  api::answer_apart(pool, a, slow);  // runs, and holds the one thread
  // Fills the queue's one place once the thread has taken the first read.
  bool filled = false;
  for (int i = 0; i < 2000 && !filled; ++i) {
    filled = pool.submit([] {});
    if (!filled) std::this_thread::sleep_for(1ms);
  }
  ASSERT_TRUE(filled);
  try {
    api::answer_apart(pool, b, slow);
    FAIL() << "a full queue took another read";
  } catch (const domain::Error& e) {
    EXPECT_EQ(e.kind(), domain::ErrorKind::unavailable);
  }
  release.set_value();
  EXPECT_EQ(first.future.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(second.future.wait_for(0s), std::future_status::timeout) << "refused, not answered";
}
