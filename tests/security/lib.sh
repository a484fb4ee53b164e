# Shared by the scripts in tests/security: a private server on a free port with a fresh
# database, users made with the admin CLI, sign-in with curl, and clean-up on exit.
# Traffic goes to 127.0.0.1 only.
set -euo pipefail

SEC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$SEC_ROOT/build}"
SERVER_BIN="${CARECROWD_SERVER_BIN:-$BUILD_DIR/carecrowd}"
ADMIN_BIN="${CARECROWD_ADMIN_BIN:-$BUILD_DIR/carecrowd-admin}"
SEC_NAME="$(basename "$0")"
PASSWORD="security scan passphrase 42"

for bin in "$SERVER_BIN" "$ADMIN_BIN"; do
  [ -x "$bin" ] || { echo "$SEC_NAME: $bin is missing: build first (./scripts/test or cmake --build build)" >&2; exit 2; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/carecrowd-$SEC_NAME-XXXXXX")"
DB="$WORK/carecrowd.db"
SERVER_PID=""
BASE_URL=""
PORT=""
CLEANUP_PIDS=()

sec_cleanup() {
  local pid
  for pid in "${CLEANUP_PIDS[@]}" $SERVER_PID; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${CLEANUP_PIDS[@]}" $SERVER_PID; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "$SEC_NAME: kept $WORK"; else rm -rf "$WORK"; fi
}
trap sec_cleanup EXIT

say() { echo "[$SEC_NAME] $*"; }
die() {
  echo "[$SEC_NAME] FAIL: $*" >&2
  if [ -f "$WORK/server.log" ]; then
    echo "--- last lines of the server log ---" >&2
    tail -n 20 "$WORK/server.log" >&2
  fi
  exit 1
}

# A database with the demo data (challenges, ideas, comments, a workshop).
make_db() {
  "$ADMIN_BIN" --db "$DB" init >/dev/null
  "$ADMIN_BIN" --db "$DB" demo-data >/dev/null
}

# add_user NAME ROLE: a user with the shared password; prints the email.
add_user() {
  local email="$1@example.nhs.uk"
  printf '%s\n' "$PASSWORD" | "$ADMIN_BIN" --db "$DB" user add --email "$email" --name "$1" --role "$2" \
    --profession nursing --organisation "Security Test Trust" --password-stdin >/dev/null
  echo "$email"
}

# start_server [ARGS...]: starts the server on a free port of 127.0.0.1 and waits for its
# "listening on" line; sets SERVER_PID, BASE_URL and PORT.
start_server() {
  : >"$WORK/server.out"
  CARECROWD_LOG_LEVEL="${CARECROWD_LOG_LEVEL:-warn}" \
    "$SERVER_BIN" --db "$DB" --listen 127.0.0.1 --port 0 --web-root "$WORK/no-web-client" "$@" \
    >"$WORK/server.out" 2>"$WORK/server.log" &
  SERVER_PID=$!
  local i
  for i in $(seq 1 200); do
    BASE_URL="$(sed -n 's/^listening on \(https\{0,1\}:\/\/[0-9.]*:[0-9]*\).*/\1/p' "$WORK/server.out" | head -n 1)"
    if [ -n "$BASE_URL" ]; then
      PORT="${BASE_URL##*:}"
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited at start-up"
    sleep 0.1
  done
  die "the server did not say where it listens within 20 seconds"
}

# login EMAIL: signs in with curl; sets SESSION (the cc_session cookie) and CSRF.
login() {
  local body
  body="$(curl -sS --max-time 10 -k -c "$WORK/cookies" -H 'Content-Type: application/json' \
    --data "{\"email\":\"$1\",\"password\":\"$PASSWORD\"}" "$BASE_URL/api/v1/auth/login")" ||
    die "login request failed"
  CSRF="$(printf '%s' "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')" ||
    die "login gave no CSRF token: $body"
  SESSION="$(awk '$6 == "cc_session" { print $7 }' "$WORK/cookies")"
  [ -n "$SESSION" ] || die "login set no session cookie"
}

# need_tool NAME PACKAGE: fails with a hint when a Debian tool is missing.
need_tool() {
  command -v "$1" >/dev/null 2>&1 || { echo "$SEC_NAME: $1 is missing: apt-get install $2 (scripts/install-deps does)" >&2; exit 2; }
}
