#!/usr/bin/env bash
# Run the five wrk scripts of Benchmarks/wrk against one server with the contract API (the FastAPI
# peer or the Swift server) and print one line per operation: req/s, p99, non-2xx/3xx, socket errors.
#
#   Benchmarks/fastapi-peer/run-wrk.sh http://127.0.0.1:PORT [SECONDS] [NAME]
#
# Order: health, login, read-item, list-items, create-item (last, since it grows the item table).
# Connections: CONNS (default 64) for all but login, LOGIN_CONNS (default 8) for login; 2 threads.
# Needs the seeded user (bench@example.com / benchpassword, override with BENCH_EMAIL/BENCH_PASSWORD).
# RSS_PIDS="pid pid ...": print the summed RSS (kB) of those processes, sampled mid-run, per operation.
set -euo pipefail
base=${1:?usage: run-wrk.sh BASEURL [SECONDS] [NAME]}
base=${base%/}
dur=${2:-5}
name=${3:-server}
here=$(cd "$(dirname "$0")" && pwd)
lua="$here/../wrk"
eval "$("$here/get-token-and-item.sh" "$base")"
export TOKEN ITEM_ID

rss() {  # summed RSS in kB of RSS_PIDS, sampled halfway through the run
  [ -n "${RSS_PIDS:-}" ] || return 0
  sleep "$(awk "BEGIN{print $dur/2}")"
  ps -o rss= -p "$(echo $RSS_PIDS | tr -s ' ' ',')" | awk '{s+=$1} END{print s}'
}

for op in health login read-item list-items create-item; do
  conns=${CONNS:-64}
  [ "$op" = login ] && conns=${LOGIN_CONNS:-8}
  tmp=$(mktemp)
  rss >"$tmp" &
  out=$(wrk -t2 -c"$conns" -d"${dur}s" --latency -s "$lua/$op.lua" "$base" 2>&1)
  wait
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  non=$(echo "$out" | awk '/Non-2xx/{print $NF}')
  err=$(echo "$out" | awk -F'Socket errors: ' '/Socket errors/{print $2}')
  r=$(cat "$tmp"); rm -f "$tmp"
  printf "%-10s %-12s c=%-3s rps=%-10s p50=%-9s p99=%-9s non2xx=%-6s%s%s\n" "$name" "$op" "$conns" \
    "$rps" "$p50" "$p99" "${non:-0}" "${err:+ sockerr=[$err]}" "${r:+ rss_kB=$r}"
done
