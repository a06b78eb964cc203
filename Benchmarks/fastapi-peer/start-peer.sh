#!/usr/bin/env bash
# Start the FastAPI peer: venv (once), database + tables + seed, then uvicorn with 2 workers.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:PGPORT/peer Benchmarks/fastapi-peer/start-peer.sh PORT [PIDFILE]
#
# - DATABASE_URL (required) names the peer's own database; it is created on that server if missing
#   (through the server's "postgres" database). Only the tables "user" and "item" in it are touched.
# - The venv lives in /tmp/fastapi-peer-venv (override: PEER_VENV); it is (re)built when
#   requirements.txt changes.
# - SECRET_KEY: taken from the environment, or generated once here and shared by both workers (it
#   must be the same in every worker, or a token from one worker fails on the other).
# - Without PIDFILE uvicorn runs in the foreground (exec). With PIDFILE it runs in the background,
#   its master pid goes to PIDFILE, output to PIDFILE.log, and the script returns once
#   /api/v1/utils/health-check/ answers. Stop with: kill "$(cat PIDFILE)"  (the workers follow).
# - WORKERS (default 2) and HOST (default 127.0.0.1) can be overridden.
set -euo pipefail

port=${1:?usage: DATABASE_URL=postgres://... start-peer.sh PORT [PIDFILE]}
pidfile=${2:-}
: "${DATABASE_URL:?set DATABASE_URL=postgres://user@host:port/dbname (a database of its own)}"
here=$(cd "$(dirname "$0")" && pwd)
venv=${PEER_VENV:-/tmp/fastapi-peer-venv}
workers=${WORKERS:-2}
host=${HOST:-127.0.0.1}

# 1. venv
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "start-peer: installing $venv" >&2
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/requirements.txt" >&2
  echo "$want" >"$stamp"
fi
py="$venv/bin/python"

# 2. database (create if missing), tables, seed
"$py" - <<'PY'
import os
import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

url = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://", 1)
params = conninfo_to_dict(url)
dbname = params.get("dbname")
assert dbname and dbname != "postgres", "DATABASE_URL must name the peer's own database, not 'postgres'"
with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone():
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
PY
(cd "$here" && "$py" seed.py) >&2

# 3. uvicorn
export SECRET_KEY=${SECRET_KEY:-$("$py" -c 'import secrets; print(secrets.token_urlsafe(32))')}
cmd=("$venv/bin/uvicorn" app:app --app-dir "$here" --host "$host" --port "$port"
     --workers "$workers" --loop uvloop --http httptools --no-access-log --log-level warning)
if [ -z "$pidfile" ]; then
  exec "${cmd[@]}"
fi
"${cmd[@]}" >"$pidfile.log" 2>&1 &
echo $! >"$pidfile"
for _ in $(seq 150); do
  if curl -fsS "http://$host:$port/api/v1/utils/health-check/" >/dev/null 2>&1; then
    echo "start-peer: up on http://$host:$port (pid $(cat "$pidfile"), $workers workers)" >&2
    exit 0
  fi
  kill -0 "$(cat "$pidfile")" 2>/dev/null || { cat "$pidfile.log" >&2; exit 1; }
  sleep 0.2
done
echo "start-peer: no answer from http://$host:$port after 30 s" >&2; cat "$pidfile.log" >&2; exit 1
