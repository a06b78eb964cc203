#!/usr/bin/env bash
# Log in as the bench user and print a token and the id of one of the user's items, for the wrk
# scripts. Works against any server with the contract API (FastAPI peer or the Swift server).
#
#   Benchmarks/fastapi-peer/get-token-and-item.sh http://127.0.0.1:PORT
#   -> TOKEN=eyJ... ITEM_ID=3f0c...
#   eval "$(Benchmarks/fastapi-peer/get-token-and-item.sh http://127.0.0.1:PORT)"; export TOKEN ITEM_ID
#
# Env: BENCH_EMAIL (default bench@example.com), BENCH_PASSWORD (default benchpassword),
#      API_PREFIX (default /api/v1). If the user has no item yet, one is created (POST /items/).
# Needs curl and python3 (standard library only).
set -euo pipefail
base=${1:?usage: get-token-and-item.sh BASEURL}
base=${base%/}
api="$base${API_PREFIX:-/api/v1}"

token=$(curl -fsS -X POST "$api/login/access-token" \
  --data-urlencode "username=${BENCH_EMAIL:-bench@example.com}" \
  --data-urlencode "password=${BENCH_PASSWORD:-benchpassword}" \
  | python3 -c 'import json, sys; t = json.load(sys.stdin); assert t["token_type"].lower() == "bearer", t; print(t["access_token"])')

item=$(curl -fsS -H "Authorization: Bearer $token" "$api/items/?skip=0&limit=1" \
  | python3 -c 'import json, sys; d = json.load(sys.stdin)["data"]; print(d[0]["id"] if d else "")')
if [ -z "$item" ]; then
  item=$(curl -fsS -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d '{"title":"Benchmark item","description":"Created by get-token-and-item.sh"}' "$api/items/" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
fi
echo "TOKEN=$token ITEM_ID=$item"
