"""The chaos run of `scripts/scale-test --chaos`: faults under load, one phase each, with clients
writing and reading items through the proxy all along.

- PostgreSQL restarted: requests fail fast (503 with Retry-After, none hangs) and succeed again
  within seconds; no write the API confirmed is lost.
- Redis restarted: requests go on (rate limits fail open, the cache is bypassed); test emails
  enqueued before, during and after all arrive.
- A worker SIGKILLed while it sends emails: every email arrives (delivery is at least once, so a
  message the killed worker sent but had not acknowledged may arrive twice: counted, not failed).
- An api process SIGTERMed under load: it finishes what it holds, and the proxy drops nothing.

Prints a table of the phases (requests, errors by kind, the slowest answer, lost writes and jobs,
peak RSS) and of the checks; exits 1 when a check fails.
"""
import collections
import os
import signal
import subprocess
import threading
import time
import urllib.parse
import uuid

from scale_test import Checks, Cluster, new_email, print_checks, process_status, run_checks, wait_for_mail

SCRIPTS = os.path.dirname(os.path.abspath(__file__))


class Load:
    """Clients creating an item and reading a page of items through the proxy, in a loop, until
    stopped. Every answer is counted by kind; every item the API said it created is kept, to look
    for in the database at the end."""

    def __init__(self, proxy, token, clients=6):
        self.proxy, self.token = proxy, token
        self.lock = threading.Lock()
        self.outcomes = collections.Counter()
        self.events = []  # (time, ok) of every answer, for when a fault began and ended
        self.slowest = 0.0
        self.unannounced_503 = 0  # a 503 without Retry-After
        self.confirmed = []  # ids of the items the API answered 200 for
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(clients)]
        for thread in self.threads:
            thread.start()

    def run(self):
        while not self.stopping.is_set():
            created = self.one("POST", "/items/", {"title": f"chaos-{uuid.uuid4().hex[:12]}"})
            if created is not None and created.status == 200:
                with self.lock:
                    self.confirmed.append(created.json["id"])
            self.one("GET", "/items/?limit=5")

    def one(self, method, path, body=None):
        started = time.monotonic()
        answer = None
        try:
            answer = self.proxy.call(method, path, token=self.token, body=body, timeout=15)
            kind = str(answer.status)
        except TimeoutError:
            kind = "timeout"
        except OSError as error:
            kind = f"connection error ({type(error).__name__})"
        finished = time.monotonic()
        with self.lock:
            self.outcomes[kind] += 1
            self.events.append((finished, kind in ("200",)))
            self.slowest = max(self.slowest, finished - started)
            if answer is not None and answer.status == 503 and "retry-after" not in answer.headers:
                self.unannounced_503 += 1
        return answer

    def mark(self):
        """Where the counts stand, to measure a phase from."""
        with self.lock:
            self.slowest = 0.0
            return self.outcomes.copy(), len(self.events)

    def since(self, mark):
        """The answers since `mark`: by kind, the slowest, and (start, end) of the failures."""
        outcomes, first_event = mark
        with self.lock:
            counts = self.outcomes - outcomes
            failures = [at for at, ok in self.events[first_event:] if not ok]
            return counts, self.slowest, (failures[0], failures[-1]) if failures else None

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)


class Phases:
    """The phase table: one row per fault."""

    def __init__(self):
        self.rows = []

    def add(self, name, counts, slowest, outage, lost_jobs="-", note=""):
        errors = {kind: n for kind, n in counts.items() if kind != "200"}
        total = sum(counts.values())
        failing = f"{outage[1] - outage[0]:.1f} s" if outage else "none"
        self.rows.append((name, total, counts.get("200", 0), ", ".join(f"{n} × {k}" for k, n in sorted(errors.items()))
                          or "none", f"{slowest * 1000:.0f} ms", failing, lost_jobs, note))

    def print(self):
        print("\n| phase | requests | ok | errors by kind | slowest | errors during | jobs lost | note |")
        print("|---|---|---|---|---|---|---|---|")
        for row in self.rows:
            print("| " + " | ".join(str(cell) for cell in row) + " |")


def enqueue_emails(proxy, admin, count, prefix, refusals=None):
    """Test emails to `count` new addresses: the addresses accepted (201); the other answers are
    counted in `refusals` by status and detail."""
    addresses = [new_email(f"{prefix}{n}") for n in range(count)]
    accepted = []
    for address in addresses:
        answer = proxy.call("POST", f"/utils/test-email/?email_to={urllib.parse.quote(address)}", token=admin)
        if answer.status == 201:
            accepted.append(address)
        elif refusals is not None:
            refusals[f"{answer.status} {answer.detail}"] += 1
    return accepted


def delivered(sink, addresses, deadline):
    """(lost, duplicated): how many of `addresses` got no email, and how many more than one."""
    received = wait_for_mail(sink, addresses, deadline)
    time.sleep(1)  # a duplicate would come within the second
    received = wait_for_mail(sink, addresses, time.monotonic())
    lost = sum(address not in received for address in addresses)
    duplicated = sum(len(received.get(address, [])) > 1 for address in addresses)
    return lost, duplicated


def wait_until_ready(client, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if client.call("GET", "/utils/readiness-check/", timeout=2).status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


def main():
    cluster = Cluster(__doc__)
    proxy, work, sink = cluster.proxy, cluster.work, cluster.sink
    checks, phases = Checks(), Phases()
    email = new_email("chaos")
    proxy.call("POST", "/users/signup", body={"email": email, "password": "chaos-password"})
    token = proxy.login(email, "chaos-password")
    admin = proxy.login(*cluster.superuser)
    load = Load(proxy, token)
    started = time.monotonic()

    def baseline():
        mark = load.mark()
        time.sleep(3)
        counts, slowest, outage = load.since(mark)
        phases.add("baseline", counts, slowest, outage)
        checks.add("baseline: no errors", "0 errors", f"{sum(counts.values()) - counts['200']} errors", counts["200"] == sum(counts.values()))

    def postgres_restart():
        mark = load.mark()
        time.sleep(1)
        fault = time.monotonic()
        subprocess.run([f"{SCRIPTS}/pg-test-server", "restart", f"{work}/pg"], check=True, capture_output=True)
        time.sleep(8)
        counts, slowest, outage = load.since(mark)
        phases.add("PostgreSQL restarted", counts, slowest, outage)
        kinds = set(counts) - {"200"}
        checks.add("PostgreSQL restart: errors are 503s with Retry-After", "only 503, each with Retry-After",
                   ", ".join(sorted(kinds)) + f"; {load.unannounced_503} without Retry-After" if kinds else "no errors",
                   kinds <= {"503"} and load.unannounced_503 == 0)
        recovered = outage[1] - fault if outage else 0.0
        checks.add("PostgreSQL restart: no request hangs, service back within 10 s", "slowest < 5 s, back < 10 s",
                   f"slowest {slowest:.2f} s, back {recovered:.1f} s after the restart began",
                   slowest < 5 and recovered < 10)

    def redis_restart():
        mark = load.mark()
        refusals = collections.Counter()
        before = enqueue_emails(proxy, admin, 30, "before")
        restart = threading.Thread(target=lambda: subprocess.run(
            [f"{SCRIPTS}/redis-test-server", "restart", f"{work}/redis"], check=True, capture_output=True))
        restart.start()
        during = enqueue_emails(proxy, admin, 30, "during", refusals)
        restart.join()
        time.sleep(3)
        after = enqueue_emails(proxy, admin, 30, "after")
        lost, duplicated = delivered(sink, before + during + after, time.monotonic() + 60)
        counts, slowest, outage = load.since(mark)
        accepted = len(before) + len(during) + len(after)
        phases.add("Redis restarted", counts, slowest, outage, f"{lost} of {accepted}",
                   f"{accepted} of 90 emails accepted (refused while Redis was down: "
                   f"{', '.join(f'{n} × {why}' for why, n in refusals.items()) or 'none'}), {duplicated} duplicated")
        checks.add("Redis restart: requests go on (limits fail open, cache bypassed)", "0 errors",
                   f"{sum(counts.values()) - counts['200']} errors", counts["200"] == sum(counts.values()))
        checks.add("Redis restart: every email accepted arrives", f"{accepted} of {accepted}", f"{accepted - lost}",
                   lost == 0 and accepted > 60)
        checks.add("Redis restart: an email refused is a 503, never a 500", "only 503",
                   ", ".join(refusals) or "none refused", all(why.startswith("503") for why in refusals))

    def worker_killed():
        mark = load.mark()
        addresses = enqueue_emails(proxy, admin, 200, "kill")
        deadline = time.monotonic() + 30
        while len(wait_for_mail(sink, addresses, time.monotonic())) < 40 and time.monotonic() < deadline:
            time.sleep(0.05)
        victim = cluster.pid("worker", 0)
        os.kill(victim, signal.SIGKILL)
        time.sleep(2)
        cluster.start("worker", 0)
        lost, duplicated = delivered(sink, addresses, time.monotonic() + 90)
        counts, slowest, outage = load.since(mark)
        phases.add("worker SIGKILLed", counts, slowest, outage, f"{lost} of {len(addresses)}",
                   f"{duplicated} delivered twice (at least once)")
        checks.add("worker killed: every email arrives", f"{len(addresses)} of 200", f"{len(addresses) - lost}",
                   lost == 0 and len(addresses) == 200)

    def api_stopped():
        mark = load.mark()
        time.sleep(1)
        victim = cluster.pid("api", 0)
        os.kill(victim, signal.SIGTERM)
        deadline = time.monotonic() + 40
        while process_status(victim, "VmRSS") and time.monotonic() < deadline:
            time.sleep(0.1)
        stopped = not process_status(victim, "VmRSS")
        time.sleep(2)
        cluster.start("api", 0)
        ready = wait_until_ready(cluster.apis[0])
        time.sleep(3)
        counts, slowest, outage = load.since(mark)
        phases.add("api SIGTERMed (and started again)", counts, slowest, outage)
        checks.add("api SIGTERM: it drains and exits; the proxy drops nothing", "exits, 0 errors, back",
                   f"{'exits' if stopped else 'still running'}, {sum(counts.values()) - counts['200']} errors, "
                   f"{'back' if ready else 'not back'}", stopped and ready and counts["200"] == sum(counts.values()))

    run_checks(checks, [
        ("baseline", baseline),
        ("PostgreSQL restart", postgres_restart),
        ("Redis restart", redis_restart),
        ("worker killed", worker_killed),
        ("api stopped", api_stopped),
    ])
    load.stop()
    stored = set(subprocess.run(["psql", "-Atq", cluster.arguments.database, "-c", "SELECT id FROM item WHERE title LIKE 'chaos-%'"],
                                check=True, capture_output=True, text=True).stdout.split())
    lost = [item for item in load.confirmed if item not in stored]
    checks.add("writes: every item the API confirmed is stored", f"{len(load.confirmed)} of {len(load.confirmed)}",
               f"{len(load.confirmed) - len(lost)}", not lost)

    phases.print()
    print_checks(f"Chaos run: 2 api and 2 worker processes behind nginx, {time.monotonic() - started:.0f} s", checks)
    print("\n| process | peak RSS (the current process, if it was restarted) |")
    print("|---|---|")
    for name, kind, n in cluster.processes():
        print(f"| {name} | {process_status(cluster.pid(kind, n), 'VmHWM'):.1f} MiB |")
    return checks.exit_status()


if __name__ == "__main__":
    raise SystemExit(main())
