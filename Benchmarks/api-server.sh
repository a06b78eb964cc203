# Sourced by Benchmarks/profile-api and Benchmarks/statement-stats: one release `api` on a throwaway
# PostgreSQL server, configured as the benchmarks run it (no rate limits, no cache, a pool of 16).
# Expects `root`; sets `API` (built unless given), `work` (removed on exit, with the server and the
# api) and `admin_url`.

if [ -z "${API:-}" ]; then
  "$root/scripts/build-release" api 2>&1 | tail -1
  API="$root/.build/release/api"
fi
# The server starts from its work folder, so a relative API= path must be made absolute first.
API=$(realpath "$API")
work=$(mktemp -d /tmp/tern-api.XXXXXX)
chmod 755 "$work"
cleanup() {
  [ -f "$work/api.pid" ] && kill "$(cat "$work/api.pid")" 2>/dev/null || true
  sleep 0.3
  "$root/scripts/pg-test-server" stop "$work/postgres"
  rm -rf "$work"
}
trap cleanup EXIT
admin_url=$("$root/scripts/pg-test-server" start "$work/postgres")

# Migrates DATABASE_URL and serves it on a free port, with the settings given (NAME=value ...) over
# the benchmarks' own; returns once it answers, with its URL in `url` and its pid in $work/api.pid.
start_api() {  # DATABASE_URL [SETTING=value ...]
  local database_url=$1 port
  shift
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (
    cd "$work"
    export DATABASE_URL="$database_url" MIGRATIONS_DIR="$root/Migrations" LOG_LEVEL=warning ENVIRONMENT=development
    export SECRET_KEY=benchmark-secret-key-0123456789abcdef FIRST_SUPERUSER=bench@example.com FIRST_SUPERUSER_PASSWORD=benchpassword
    export RATE_LIMIT_ENABLED=false CACHE_TTL=0 EMAILS_OUTBOX_DIR= DATABASE_POOL_SIZE=16
    if [ $# -gt 0 ]; then export "$@"; fi
    "$API" migrate >/dev/null
    exec "$API" serve --port "$port"
  ) >"$work/api.log" 2>&1 &
  echo $! >"$work/api.pid"
  url="http://127.0.0.1:$port"
  for _ in $(seq 300); do curl -fs "$url/api/v1/utils/health-check/" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "the api did not answer; its log: $(cat "$work/api.log")" >&2
  return 1
}
