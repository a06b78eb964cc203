-- POST /api/v1/login/access-token, OAuth2 password form (one Argon2 verification per request). Works
-- against any server with the contract API and the seeded user:
--   wrk -t2 -c8 -d5s --latency -s Benchmarks/wrk/login.lua http://127.0.0.1:PORT
-- Env: BENCH_EMAIL (default bench@example.com), BENCH_PASSWORD (default benchpassword),
--      API_PREFIX (default /api/v1). Values are sent as given: keep them free of & = + %.
local email = os.getenv("BENCH_EMAIL") or "bench@example.com"
local password = os.getenv("BENCH_PASSWORD") or "benchpassword"
local prefix = os.getenv("API_PREFIX") or "/api/v1"
wrk.method = "POST"
wrk.path = prefix .. "/login/access-token"
wrk.body = "username=" .. email:gsub("@", "%%40") .. "&password=" .. password
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
