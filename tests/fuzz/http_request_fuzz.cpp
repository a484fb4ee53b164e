// libFuzzer target: the bytes are what one client sends on one connection. They go
// through the server's own HTTP session (net/http_session.hpp: Beast's parser with the
// server's header and body limits, the smuggling and framing checks, the target
// decoding), then the router, the API guard (session, CSRF, roles), the handlers and the
// services, against a real SQLite store holding demo data, wired by the server's own
// app::Handlers. Only the socket is replaced, by Beast's in-memory test stream.
//
// Requests may sign in with fixed sessions (see kIdentities): the seed corpus carries
// `Cookie: cc_session=fuzz-staff-session` and `X-CSRF-Token: fuzz-staff-csrf`, and the
// same for design and admin.
//
// What counts as a failure, besides what ASan and UBSan report:
// - a 500 answer (a handler let an unexpected exception out: hostile input must get a 4xx);
// - an answer that is not well-formed HTTP, or lacks the security headers, or names the
//   server software;
// - a connection that never finishes (a handler that never answers).
#include <sanitizer/common_interface_defs.h>
#include <unistd.h>

#include <boost/beast/_experimental/test/stream.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <vector>

#include "admin/cli.hpp"
#include "app/handlers.hpp"
#include "auth/crypto.hpp"
#include "common/clock.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"
#include "common/worker_pool.hpp"
#include "net/http_session.hpp"
#include "net/server_state.hpp"
#include "store/users_repo.hpp"

namespace {

using namespace cc;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace asio = boost::asio;
namespace fs = std::filesystem;

struct Identity {
  const char* name;
  domain::Role role;
  const char* token;  // the cc_session cookie
  const char* csrf;   // the X-CSRF-Token header
  std::int64_t session_id = 0;
};

Identity kIdentities[] = {
    {"fuzz-staff", domain::Role::staff, "fuzz-staff-session", "fuzz-staff-csrf"},
    {"fuzz-design", domain::Role::design_group, "fuzz-design-session", "fuzz-design-csrf"},
    {"fuzz-admin", domain::Role::admin, "fuzz-admin-session", "fuzz-admin-csrf"},
};

// The lowest layer of a session's stream must take deadlines; in memory there are none.
struct FuzzStream : beast::test::stream {
  using beast::test::stream::stream;
  void expires_after(std::chrono::steady_clock::duration) {}
  void expires_never() {}
};

class FuzzSession : public net::HttpSession<FuzzSession>, public std::enable_shared_from_this<FuzzSession> {
public:
  FuzzSession(FuzzStream&& stream, std::shared_ptr<net::ConnectionSlot> slot, std::vector<bool>& head_answers)
      : HttpSession(std::move(slot), beast::flat_buffer{}, false), stream_(std::move(stream)), head_answers_(head_answers) {}
  FuzzStream& stream() { return stream_; }
  void do_eof() { stream_.close(); }
  void do_linger() { stream_.close(); }
  void do_upgrade(net::BeastRequest) { stream_.close(); }  // WebSockets are not fuzzed here
  // A HEAD answer has the GET's length and no body: the checker must know which they are.
  void answering(std::string_view method) { head_answers_.push_back(method == "HEAD"); }

private:
  FuzzStream stream_;
  std::vector<bool>& head_answers_;  // one for each answer written, in order
};

struct World {
  std::string dir;
  Metrics metrics;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<auth::PasswordHasher> hasher;
  std::unique_ptr<WorkerPool> workers;
  std::unique_ptr<WorkerPool> slow_reads;
  std::unique_ptr<app::Handlers> handlers;
  asio::io_context ioc{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::shared_ptr<net::ServerState> state;
};

World* g_world = nullptr;

void remove_world_dir() {
  if (g_world && !g_world->dir.empty()) {
    std::error_code ec;
    fs::remove_all(g_world->dir, ec);
  }
}

void fail(const std::string& why, const std::string& detail) {
  std::fprintf(stderr, "\n==http_request_fuzz== %s\n%s\n", why.c_str(), detail.substr(0, 4000).c_str());
  remove_world_dir();
  std::abort();
}

// Runs the server's side until `done` says so, failing if it takes unreasonably long.
template <class Done>
void pump(World& w, Done done, const char* what) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done()) {
    w.ioc.run_one_for(std::chrono::milliseconds(1));
    if (std::chrono::steady_clock::now() > deadline) fail(what, "");
  }
}

void write_and_wait(World& w, store::Store::Work work) {
  bool finished = false;
  std::exception_ptr error;
  w.store->write(std::move(work), [&](std::exception_ptr e) {
    error = e;
    finished = true;
  });
  pump(w, [&] { return finished; }, "a set-up write did not finish");
  if (error) std::rethrow_exception(error);
}

// A fresh database with the demo data, made by the admin CLI's own command.
void make_database(const std::string& db) {
  admin::register_demo_commands();
  admin::Context ctx;
  ctx.db_path = db;
  fflush(stdout);
  int saved = dup(1);
  FILE* null = std::fopen("/dev/null", "w");
  dup2(fileno(null), 1);  // the command prints passwords: not wanted here
  int rc = -1;
  for (auto& c : admin::registry())
    if (c.name == "demo-data") rc = c.run(ctx, {});
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  std::fclose(null);
  if (rc != 0) fail("demo-data failed", db);
}

World& make_world() {
  auto* w = new World();  // lives until exit: the store's threads use it
  g_world = w;
  // In memory where there is a tmpfs: the store fsyncs every commit. run-fuzzers gives a
  // folder of its own (CARECROWD_FUZZ_TMP) and removes it, whatever way the run ends.
  const char* given = std::getenv("CARECROWD_FUZZ_TMP");
  fs::path base = given && *given                   ? fs::path(given)
                  : access("/dev/shm", W_OK) == 0 ? fs::path("/dev/shm")
                                                    : fs::temp_directory_path();
  std::string tmpl = base / "carecrowd-fuzz-XXXXXX";
  if (!mkdtemp(tmpl.data())) fail("mkdtemp failed", tmpl);
  w->dir = tmpl;
  std::atexit(remove_world_dir);
  __sanitizer_set_death_callback(remove_world_dir);
  log::set_level(log::Level::error);

  std::string db = w->dir + "/fuzz.db";
  make_database(db);
  fs::create_directories(w->dir + "/web/assets");
  std::FILE* f = std::fopen((w->dir + "/web/index.html").c_str(), "w");
  std::fputs("<!doctype html><title>CareCrowd</title>", f);
  std::fclose(f);
  f = std::fopen((w->dir + "/web/assets/app.js").c_str(), "w");
  std::fputs("export {};", f);
  std::fclose(f);

  w->store = std::make_unique<store::Store>(store::StoreOptions{db});
  w->hasher = std::make_unique<auth::PasswordHasher>("fuzz-pepper", auth::HashCost{1, 8, 1});
  w->workers = std::make_unique<WorkerPool>(1, 256);
  w->slow_reads = std::make_unique<WorkerPool>(1, 64);
  // The server's own services and routes (App::start builds the same). No per-user
  // write limit: the fuzzer is one busy user, and the limited paths would otherwise hide
  // the rest after the first minute.
  w->handlers = std::make_unique<app::Handlers>(*w->store, w->metrics, *w->hasher, *w->workers, *w->slow_reads,
                                                app::HandlerOptions{service::AuthOptions{}, 0, w->dir + "/web"});
  auto handler = w->handlers->handler();
  net::ServerOptions options;  // the defaults a deployment runs with, but for one:
  // every input comes from the same address, and would soon be answered 429 only.
  options.requests_per_minute_per_ip = 0;
  w->state = std::make_shared<net::ServerState>(options, handler, w->metrics, nullptr);
  w->work.emplace(w->ioc.get_executor());
  w->store->start([w](int, std::function<void()> fn) { asio::post(w->ioc, std::move(fn)); });

  // Fixed sessions for each role, so that the corpus can carry their cookies.
  auto now = now_seconds();
  for (auto& id : kIdentities) {
    domain::NewUser u;
    u.email = std::string(id.name) + "@example.nhs.uk";
    u.display_name = id.name;
    u.profession = "nursing";
    u.organisation = "Fuzz Trust";
    u.role = id.role;
    auto hash = w->hasher->hash("fuzzing password 1");
    write_and_wait(*w, [&](store::WriteTx& tx) {
      auto user = store::insert_user(tx.conn, u, hash, now_rfc3339());
      id.session_id = store::insert_session(tx.conn, auth::sha256(id.token), user, id.csrf, now, now + 86400 * 365);
    });
  }
  return *w;
}

World& world() {
  static World& w = make_world();
  return w;
}

// A logout in the input ends a fixed session; the next input gets it back.
void restore_sessions(World& w) {
  for (auto& id : kIdentities) {
    auto row = store::find_session(w.store->reader(), auth::sha256(id.token));
    if (row && !row->revoked) continue;
    auto sid = id.session_id;
    write_and_wait(w, [sid](store::WriteTx& tx) {
      tx.conn.exec("UPDATE sessions SET revoked = 0 WHERE id = " + std::to_string(sid));
    });
  }
}

void check_responses(const std::string& out, const std::string& input, const std::vector<bool>& head_answers) {
  beast::flat_buffer buffer;
  auto bytes = buffer.prepare(out.size());
  asio::buffer_copy(bytes, asio::buffer(out));
  buffer.commit(out.size());
  for (std::size_t answer = 0; buffer.size() > 0; ++answer) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(answer < head_answers.size() && head_answers[answer]);
    parser.eager(true);
    parser.body_limit(64 * 1024 * 1024);
    beast::error_code ec;
    buffer.consume(parser.put(buffer.data(), ec));
    if (!ec && !parser.is_done()) {
      parser.put_eof(ec);
      if (!ec && !parser.is_done()) ec = bhttp::error::partial_message;
    }
    if (ec) fail("the server wrote an answer that is not well-formed HTTP (" + ec.message() + ")", out);
    const auto& res = parser.get();
    if (res.result_int() == 500)
      fail("a request got 500: hostile input must be refused with a 4xx", "request:\n" + input + "\n\nanswer:\n" + out);
    if (res.find(bhttp::field::server) != res.end()) fail("an answer names the server software", out);
    if (res["Content-Security-Policy"].empty() || res["X-Content-Type-Options"] != "nosniff" ||
        res[bhttp::field::cache_control].empty())
      fail("an answer lacks the security headers", out);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = world();
  std::string input(reinterpret_cast<const char*>(data), size);

  FuzzStream server(w.ioc), client(w.ioc);
  server.connect(client);
  server.append(input);
  server.close_remote();  // the client sends these bytes, then nothing more
  // A quarter of the inputs arrive a few bytes at a time, as a slow network delivers them.
  if (size % 4 == 1) server.read_size(1 + size % 13);

  std::weak_ptr<FuzzSession> alive;
  std::vector<bool> head_answers;
  {
    auto slot = std::make_shared<net::ConnectionSlot>(w.state, "127.0.0.1", "127.0.0.1");
    auto session = std::make_shared<FuzzSession>(std::move(server), slot, head_answers);
    alive = session;
    session->do_read();
  }
  pump(w, [&] { return alive.expired(); }, "the connection never finished: a request was never answered");
  check_responses(std::string(client.str()), input, head_answers);
  restore_sessions(w);
  return 0;
}
