# Shared by scripts/run, scripts/test and scripts/bench: paths and the build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
JOBS="${JOBS:-$(nproc)}"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Precompiled headers and ccache work together only with these.
export CCACHE_SLOPPINESS="pch_defines,time_macros,include_file_mtime,include_file_ctime"
# Share cached objects between build folders (debug info would otherwise pin them to one).
export CCACHE_NOHASHDIR=1
# Paths inside the checkout are hashed relative to it, so a fresh clone elsewhere reuses the cache.
export CCACHE_BASEDIR="$ROOT"

# build_cpp [BUILD_TYPE] [TARGET...]: configures and builds (every target by default).
build_cpp() {
  local type="${1:-RelWithDebInfo}"
  shift || true
  echo "==> configuring ($type) in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$type" >/dev/null
  echo "==> building ${*:-everything} with $JOBS jobs"
  if [ $# -gt 0 ]; then
    local targets=()
    for t in "$@"; do targets+=(--target "$t"); done
    cmake --build "$BUILD_DIR" -j "$JOBS" "${targets[@]}"
  else
    cmake --build "$BUILD_DIR" -j "$JOBS"
  fi
}

build_web() {
  if [ -f "$ROOT/client-web/package.json" ]; then
    echo "==> building the web client"
    (cd "$ROOT/client-web" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
  fi
}
