#!/usr/bin/env bash
# Log in as the bench user and print a token and the id of one of the user's items, for the wrk
# scripts. Works against any server with the contract API (FastAPI peer or the Swift server).
#
#   Benchmarks/fastapi-peer/get-token-and-item.sh http://127.0.0.1:PORT
#   -> TOKEN=eyJ... ITEM_ID=3f0c...
#   eval "$(Benchmarks/fastapi-peer/get-token-and-item.sh http://127.0.0.1:PORT)"; export TOKEN ITEM_ID
#
# Env: BENCH_EMAIL (default bench@example.com), BENCH_PASSWORD (default benchpassword),
#      API_PREFIX (default /api/v1), ITEMS (default 1): the user is given items (POST /items/) until
#      their list counts at least ITEMS.
# Needs curl and python3 (standard library only).
set -euo pipefail
base=${1:?usage: get-token-and-item.sh BASEURL}
base=${base%/}
api="$base${API_PREFIX:-/api/v1}"

token=$(curl -fsS -X POST "$api/login/access-token" \
  --data-urlencode "username=${BENCH_EMAIL:-bench@example.com}" \
  --data-urlencode "password=${BENCH_PASSWORD:-benchpassword}" \
  | python3 -c 'import json, sys; t = json.load(sys.stdin); assert t["token_type"].lower() == "bearer", t; print(t["access_token"])')

count=$(curl -fsS -H "Authorization: Bearer $token" "$api/items/?skip=0&limit=1" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["count"])')
for i in $(seq $((count + 1)) "${ITEMS:-1}"); do
  curl -fsS -H "Authorization: Bearer $token" -H "Content-Type: application/json" \
    -d "{\"title\":\"Item $i\",\"description\":\"Seeded item $i\"}" "$api/items/" >/dev/null
done
item=$(curl -fsS -H "Authorization: Bearer $token" "$api/items/?skip=0&limit=1" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["id"])')
echo "TOKEN=$token ITEM_ID=$item"
