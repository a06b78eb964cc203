-- GET /api/v1/utils/health-check/ (public, no database). Works against any server with the contract API:
--   wrk -t2 -c64 -d5s --latency -s Benchmarks/wrk/health.lua http://127.0.0.1:PORT
-- Env: API_PREFIX (default /api/v1).
local prefix = os.getenv("API_PREFIX") or "/api/v1"
wrk.method = "GET"
wrk.path = prefix .. "/utils/health-check/"
