"""Hostile load against a running Tern, with a normal user logging in throughout.

    python3 abuse.py BASE_URL PID EMAIL PASSWORD [SECONDS]

Two phases, each SECONDS long (default 20), then a quiet second:
  - slow-loris: 1,000 connections, each sending its request head one byte a second;
  - login flood: 500 clients logging in with unknown emails as fast as they are answered.
Throughout, a "normal" client logs in with the right password every 0.25 s and records the status,
the Retry-After header and the time taken; the server's resident memory is sampled every 0.25 s.
Prints one table. Standard library only.
"""
import asyncio
import sys
import time
import urllib.parse

BASE, PID, EMAIL, PASSWORD = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
SECONDS = float(sys.argv[5]) if len(sys.argv) > 5 else 20.0
URL = urllib.parse.urlsplit(BASE)
HOST, PORT = URL.hostname, URL.port


def login_request(email, password):
    body = urllib.parse.urlencode({"username": email, "password": password}).encode()
    head = (
        f"POST /api/v1/login/access-token HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def exchange(request, timeout=30.0):
    """Sends one request on a new connection; returns (status, retry_after, seconds)."""
    started = time.monotonic()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, PORT), timeout)
        writer.write(request)
        await writer.drain()
        response = await asyncio.wait_for(reader.read(), timeout)
        writer.close()
        head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        status = int(head[0].split()[1]) if head and head[0].startswith("HTTP/") else 0
        retry = next((line.split(":", 1)[1].strip() for line in head[1:] if line.lower().startswith("retry-after:")), None)
        return status, retry, time.monotonic() - started
    except Exception as error:  # noqa: BLE001 - any failure is recorded as status 0
        return 0, type(error).__name__, time.monotonic() - started


def rss_mib():
    with open(f"/proc/{PID}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Observer:
    """The normal user's logins and the server's memory, per phase."""

    def __init__(self):
        self.phase = "baseline"
        self.logins = {}
        self.memory = {}

    async def run(self, stop):
        while not stop.is_set():
            status, retry, took = await exchange(login_request(EMAIL, PASSWORD))
            self.logins.setdefault(self.phase, []).append((status, retry, took))
            await asyncio.sleep(0.25)

    async def sample_memory(self, stop):
        while not stop.is_set():
            self.memory.setdefault(self.phase, []).append(rss_mib())
            await asyncio.sleep(0.25)


async def slow_loris(stop, counts):
    head = f"GET /api/v1/utils/health-check/ HTTP/1.1\r\nHost: {HOST}\r\nX-Slow: " + "a" * 10_000

    async def one():
        position = 0
        writer = None
        while not stop.is_set():
            try:
                if writer is None:
                    _, writer = await asyncio.open_connection(HOST, PORT)
                    counts["connections"] += 1
                    position = 0
                writer.write(head[position].encode())
                await writer.drain()
                position = (position + 1) % len(head)
            except Exception:  # noqa: BLE001 - closed by the server: reconnect
                counts["closed by server"] += 1
                writer = None
            await asyncio.sleep(1)
        if writer:
            writer.close()

    await asyncio.gather(*(one() for _ in range(1000)))


async def login_flood(stop, counts):
    async def one(index):
        n = 0
        while not stop.is_set():
            status, _, _ = await exchange(login_request(f"nobody-{index}-{n}@example.com", "wrong-password"))
            counts[status] = counts.get(status, 0) + 1
            n += 1

    await asyncio.gather(*(one(index) for index in range(500)))


async def main():
    observer = Observer()
    stop_all = asyncio.Event()
    watchers = [asyncio.create_task(observer.run(stop_all)), asyncio.create_task(observer.sample_memory(stop_all))]
    await asyncio.sleep(2)

    attacks = {}
    for name, attack in [("slow-loris", slow_loris), ("login flood", login_flood)]:
        observer.phase = name
        stop = asyncio.Event()
        counts = {"connections": 0, "closed by server": 0} if attack is slow_loris else {}
        task = asyncio.create_task(attack(stop, counts))
        await asyncio.sleep(SECONDS)
        stop.set()
        await task
        attacks[name] = counts
        observer.phase = f"after {name}"
        await asyncio.sleep(2)

    stop_all.set()
    await asyncio.gather(*watchers)

    print(f"{'phase':<20} {'normal logins':>14} {'200':>5} {'503':>5} {'other':>6} {'median':>9} {'max':>9} {'RSS peak':>9}")
    for phase in ["baseline", "slow-loris", "after slow-loris", "login flood", "after login flood"]:
        logins = observer.logins.get(phase, [])
        times = sorted(took for _, _, took in logins)
        ok = sum(1 for status, _, _ in logins if status == 200)
        busy = sum(1 for status, retry, _ in logins if status == 503 and retry)
        median = times[len(times) // 2] * 1000 if times else 0
        print(
            f"{phase:<20} {len(logins):>14} {ok:>5} {busy:>5} {len(logins) - ok - busy:>6} {median:>7.0f}ms"
            f" {(times[-1] * 1000 if times else 0):>7.0f}ms {max(observer.memory.get(phase, [0])):>7.0f}MiB"
        )
    first_after = observer.logins.get("after login flood", [(0, None, 0)])[0]
    print(f"first normal login after the flood: status {first_after[0]} in {first_after[2] * 1000:.0f} ms")
    print("slow-loris:", attacks["slow-loris"])
    print("login flood answers by status:", dict(sorted(attacks["login flood"].items())))


asyncio.run(main())
