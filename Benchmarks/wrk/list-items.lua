-- GET /api/v1/items/?skip=0&limit=10 with a bearer token (list + count). Works against any server with
-- the contract API:
--   eval "$(Benchmarks/fastapi-peer/get-token-and-item.sh http://127.0.0.1:PORT)"; export TOKEN
--   wrk -t2 -c64 -d5s --latency -s Benchmarks/wrk/list-items.lua http://127.0.0.1:PORT
-- Env: TOKEN, LIMIT (default 10), API_PREFIX (default /api/v1), QUERY (the whole query string, in
-- place of skip=0&limit=LIMIT: a deep page, a cursor).
local function need(name)
  local value = os.getenv(name)
  if value == nil or value == "" then
    io.stderr:write("list-items.lua: set " .. name .. " (see Benchmarks/fastapi-peer/get-token-and-item.sh)\n")
    os.exit(2)
  end
  return value
end
local token = need("TOKEN")
local limit = os.getenv("LIMIT") or "10"
local prefix = os.getenv("API_PREFIX") or "/api/v1"
wrk.method = "GET"
wrk.path = prefix .. "/items/?" .. (os.getenv("QUERY") or ("skip=0&limit=" .. limit))
wrk.headers["Authorization"] = "Bearer " .. token
