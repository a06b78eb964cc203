# Sourced by the HTTP benchmarks (Benchmarks/run-api-benchmark, and through Benchmarks/api-server.sh
# profile-api and statement-stats): starts a release `api` configured as they all run it, and seeds
# it with the benchmark's user. Expects `here` (this folder), `root` and `work` (the folder the
# servers run from, where their logs and pid files go).

: "${BENCH_EMAIL:=bench@example.com}" "${BENCH_PASSWORD:=benchpassword}"
export BENCH_EMAIL BENCH_PASSWORD

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { for _ in $(seq 300); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "not up: $1" >&2; return 1; }

# BINARY migrates DATABASE_URL and serves it on a free port, with the settings given (NAME=value ...)
# over the benchmarks' own; returns once it answers, with its URL in `url`, its log in $work/NAME.log
# and its pid in $work/NAME.pid.
serve_api() {  # NAME BINARY DATABASE_URL [SETTING=value ...]
  local name=$1 binary=$2 database_url=$3 port
  shift 3
  port=$(free_port)
  (
    cd "$work"
    export DATABASE_URL="$database_url" MIGRATIONS_DIR="$root/Migrations" LOG_LEVEL=warning ENVIRONMENT=development
    export SECRET_KEY=benchmark-secret-key-0123456789abcdef FIRST_SUPERUSER=admin@example.com FIRST_SUPERUSER_PASSWORD=admin-password
    # A line of hashes long enough for every login a benchmark sends at once (the default, as long as
    # the core count, would answer the excess 503 at once): both sides of a comparison do the same work.
    export DATABASE_POOL_SIZE=16 EMAILS_OUTBOX_DIR= PASSWORD_HASH_QUEUE_SIZE=64
    if [ $# -gt 0 ]; then export "$@"; fi
    "$binary" migrate >/dev/null
    exec "$binary" serve --port "$port"
  ) >"$work/$name.log" 2>&1 &
  echo $! >"$work/$name.pid"
  url="http://127.0.0.1:$port"
  wait_for "$url/api/v1/utils/health-check/" || { echo "its log: $(cat "$work/$name.log")" >&2; return 1; }
}

# The benchmark's user (BENCH_EMAIL), created by the superuser with 100 items: an ordinary user,
# or with BENCH_SUPERUSER=true one who sees every item.
seed_benchmark_user() {  # URL
  local admin_token
  admin_token=$(curl -fs -X POST "$1/api/v1/login/access-token" -d "username=admin%40example.com&password=admin-password" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
  curl -fs -X POST "$1/api/v1/users/" -H "Authorization: Bearer $admin_token" -H "Content-Type: application/json" \
    -d "{\"email\":\"$BENCH_EMAIL\",\"password\":\"$BENCH_PASSWORD\",\"is_superuser\":${BENCH_SUPERUSER:-false}}" >/dev/null
  ITEMS=100 "$here/fastapi-peer/get-token-and-item.sh" "$1" >/dev/null
}
