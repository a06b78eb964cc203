"""Measures the streamed item export of a running `api` server (Benchmarks/run-export-benchmark).

Fills the first superuser's items straight into the database (SQLite through Python's sqlite3, PostgreSQL
through psql's COPY), then downloads each export while a thread samples the server's resident memory.
"""
import argparse
import http.client
import json
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

from server_memory import PeakMemory, rss_kib


def login(base):
    form = urllib.parse.urlencode({"username": "admin@example.com", "password": "export-password"}).encode()
    with urllib.request.urlopen(f"{base}/login/access-token", data=form) as response:
        return json.load(response)["access_token"]


def owner_id(base, token):
    request = urllib.request.Request(f"{base}/users/me", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)["id"]


def fill(database_url, owner, count):
    """Adds `count` items of `owner`, as the API would write them."""
    rows = [(str(uuid.uuid4()), f"Item {n}, with a comma", "A description long enough to look like one", owner,
             "2026-12-01T12:00:00.000000Z") for n in range(count)]
    if database_url.startswith("sqlite://"):
        import sqlite3
        connection = sqlite3.connect(database_url[len("sqlite://"):])
        connection.executemany("INSERT INTO item (id, title, description, owner_id, created_at) VALUES (?, ?, ?, ?, ?)", rows)
        connection.commit()
        connection.close()
    else:
        text = "".join("\t".join(row) + "\n" for row in rows)
        subprocess.run(["psql", "-q", database_url, "-c", "COPY item (id, title, description, owner_id, created_at) FROM STDIN"],
                       input=text.encode(), check=True)


def measure(base, token, pid, path):
    """Downloads `path`, sampling the server's memory meanwhile."""
    url = urllib.parse.urlparse(base)
    connection = http.client.HTTPConnection(url.hostname, url.port)
    with PeakMemory(pid) as memory:
        start = time.perf_counter()
        connection.request("GET", url.path + path, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        first = response.read(1)
        first_byte = time.perf_counter() - start
        body = first + response.read()
        total = time.perf_counter() - start
    return {"status": response.status, "bytes": len(body), "lines": body.count(b"\n"), "first_byte_ms": first_byte * 1000,
            "total_ms": total * 1000, "peak_rss_mib": memory.peak_mib}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", required=True)
    arguments = parser.parse_args()

    token = login(arguments.base)
    owner = owner_id(arguments.base, token)
    small = arguments.rows // 10
    fill(arguments.database_url, owner, small)
    for path in ("/items/export/csv", "/items/export/jsonl"):
        measure(arguments.base, token, arguments.pid, path)  # warm up: code paths, caches, connections
    idle = rss_kib(arguments.pid) / 1024
    print(f"server RSS idle after a warm-up export: {idle:.1f} MiB")
    print(f"{'export':<8} {'rows':>9} {'bytes':>12} {'first byte':>11} {'last byte':>10} {'peak RSS':>9} {'over idle':>9}")
    results = {}
    for rows in (small, arguments.rows):
        if rows != small:
            fill(arguments.database_url, owner, arguments.rows - small)
        for kind in ("csv", "jsonl"):
            result = measure(arguments.base, token, arguments.pid, f"/items/export/{kind}")
            assert result["status"] == 200, result
            results[(kind, rows)] = result
            print(f"{kind:<8} {rows:>9,} {result['bytes']:>12,} {result['first_byte_ms']:>9.1f}ms {result['total_ms']:>8.0f}ms "
                  f"{result['peak_rss_mib']:>7.1f}MiB {result['peak_rss_mib'] - idle:>7.1f}MiB")
    for kind in ("csv", "jsonl"):
        big, little = results[(kind, arguments.rows)], results[(kind, small)]
        print(f"{kind}: {arguments.rows:,} rows answer their first byte after {big['first_byte_ms'] / big['total_ms']:.1%} of the "
              f"download; peak memory over idle {big['peak_rss_mib'] - idle:.1f} MiB against {little['peak_rss_mib'] - idle:.1f} MiB "
              f"for {small:,} rows ({big['bytes'] / little['bytes']:.0f}x the bytes)")


if __name__ == "__main__":
    main()
