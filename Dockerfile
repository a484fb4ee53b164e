# CareCrowd in a container: build and unit-test on Debian bookworm, then run the server
# as a non-root user with its database in a volume.
#
#   docker build -t carecrowd .
#   docker run -d --name carecrowd -p 8080:8080 -v carecrowd-data:/var/lib/carecrowd carecrowd
#   docker exec -it carecrowd carecrowd-admin user add --email you@example.nhs.uk \
#       --name "Your Name" --role admin --profession nursing --organisation "Your Trust"

# ---- build ----------------------------------------------------------------------------
FROM debian:bookworm AS build

# The build packages of scripts/install-deps. Left out: chromium, wrk and
# python3-websockets, which only the browser tests and benchmarks use; nodejs and npm
# are installed below only when the web client has to be built here.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ccache pkg-config git ca-certificates \
      libboost1.81-dev libsqlitecpp-dev libsqlite3-dev sqlite3 nlohmann-json3-dev \
      libssl-dev libargon2-dev libjemalloc-dev libgtest-dev googletest \
      libdata-password-zxcvbn-perl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY . .

RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build -j "$(nproc)" --target carecrowd carecrowd-admin unit_tests \
 && cd build && ctest -L unit --output-on-failure -j "$(nproc)"

# The web client: taken as built (client-web/dist) when present; otherwise built here
# when its sources are; otherwise the server runs without it (the API still works).
RUN mkdir -p /out/bin /out/web \
 && install -m 0755 -s build/carecrowd build/carecrowd-admin /out/bin/ \
 && if [ ! -d client-web/dist ] && [ -f client-web/package.json ]; then \
      apt-get update \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm \
      && (cd client-web && npm ci --no-audit --no-fund && npm run build); \
    fi \
 && if [ -d client-web/dist ]; then cp -a client-web/dist/. /out/web/; fi

# ---- runtime --------------------------------------------------------------------------
FROM debian:bookworm-slim

# Only the shared libraries the programs link (SQLiteCpp and Boost are compiled in).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libsqlite3-0 libssl3 libargon2-1 libjemalloc2 \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system carecrowd \
 && useradd --system --gid carecrowd --home-dir /var/lib/carecrowd --shell /usr/sbin/nologin carecrowd \
 && mkdir -p /var/lib/carecrowd \
 && chown carecrowd:carecrowd /var/lib/carecrowd \
 && chmod 0700 /var/lib/carecrowd

COPY --from=build /out/bin/ /usr/local/bin/
COPY --from=build /out/web/ /usr/share/carecrowd/web/

# Inside the container the server listens on every address; publish the port with -p.
# The database and its pepper file (db path + ".pepper") live in the volume.
ENV CARECROWD_LISTEN=0.0.0.0 \
    CARECROWD_PORT=8080 \
    CARECROWD_DB=/var/lib/carecrowd/carecrowd.db \
    CARECROWD_WEB_ROOT=/usr/share/carecrowd/web

USER carecrowd
WORKDIR /var/lib/carecrowd
VOLUME ["/var/lib/carecrowd"]
EXPOSE 8080

# No curl in the image: bash's /dev/tcp asks /healthz, which answers once the database does.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${CARECROWD_PORT:-8080} && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && grep -q '\"status\":\"ok\"' <&3"]

# SIGTERM (docker stop) lets requests in flight finish, then exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/carecrowd"]
