# Shared by scripts/run, scripts/test and scripts/bench: paths and the build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
JOBS="${JOBS:-$(nproc)}"
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
# Precompiled headers and ccache work together only with these.
export CCACHE_SLOPPINESS="pch_defines,time_macros,include_file_mtime,include_file_ctime"

build_cpp() {
  local type="${1:-RelWithDebInfo}"
  echo "==> configuring ($type) in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$type" >/dev/null
  echo "==> building with $JOBS jobs"
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

build_web() {
  if [ -f "$ROOT/client-web/package.json" ]; then
    echo "==> building the web client"
    (cd "$ROOT/client-web" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
  fi
}
