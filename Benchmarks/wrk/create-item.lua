-- POST /api/v1/items/ {"title","description"} with a bearer token; every request inserts a row (200 with
-- the ItemPublic). Works against any server with the contract API:
--   eval "$(Benchmarks/fastapi-peer/get-token-and-item.sh http://127.0.0.1:PORT)"; export TOKEN
--   wrk -t2 -c64 -d5s --latency -s Benchmarks/wrk/create-item.lua http://127.0.0.1:PORT
-- Env: TOKEN, API_PREFIX (default /api/v1).
-- The rows stay: run this last, or re-seed, since it grows the item table that list-items counts.
local function need(name)
  local value = os.getenv(name)
  if value == nil or value == "" then
    io.stderr:write("create-item.lua: set " .. name .. " (see Benchmarks/fastapi-peer/get-token-and-item.sh)\n")
    os.exit(2)
  end
  return value
end
local token = need("TOKEN")
local prefix = os.getenv("API_PREFIX") or "/api/v1"
wrk.method = "POST"
wrk.path = prefix .. "/items/"
wrk.body = '{"title":"Benchmark item","description":"Created by wrk create-item.lua"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
