# Sourced by Benchmarks/profile-api and Benchmarks/statement-stats: one release `api` on a throwaway
# PostgreSQL server, configured as the benchmarks run it (Benchmarks/serve-api.sh; no rate limits,
# no cache). Expects `here` and `root`; sets `API` (built unless given), `work` (removed on exit,
# with the server and the api) and `admin_url`.

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

# shellcheck source=Benchmarks/serve-api.sh
source "$here/serve-api.sh"

# Serves DATABASE_URL without rate limits or cache, with the settings given (NAME=value ...) over
# those, seeded with the benchmark's user (Benchmarks/serve-api.sh); sets `url`, its pid in
# $work/api.pid.
start_api() {  # DATABASE_URL [SETTING=value ...]
  serve_api api "$API" "$1" RATE_LIMIT_ENABLED=false CACHE_TTL=0 "${@:2}"
  seed_benchmark_user "$url"
}
