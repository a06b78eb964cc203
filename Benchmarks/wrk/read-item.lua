-- GET /api/v1/items/<ITEM_ID> with a bearer token. Works against any server with the contract API:
--   eval "$(Benchmarks/fastapi-peer/get-token-and-item.sh http://127.0.0.1:PORT)"; export TOKEN ITEM_ID
--   wrk -t2 -c64 -d5s --latency -s Benchmarks/wrk/read-item.lua http://127.0.0.1:PORT
-- Env: TOKEN (access token), ITEM_ID (uuid of an item the token's user owns), API_PREFIX (default /api/v1).
local function need(name)
  local value = os.getenv(name)
  if value == nil or value == "" then
    io.stderr:write("read-item.lua: set " .. name .. " (see Benchmarks/fastapi-peer/get-token-and-item.sh)\n")
    os.exit(2)
  end
  return value
end
local token, id = need("TOKEN"), need("ITEM_ID")
local prefix = os.getenv("API_PREFIX") or "/api/v1"
wrk.method = "GET"
wrk.path = prefix .. "/items/" .. id
wrk.headers["Authorization"] = "Bearer " .. token
