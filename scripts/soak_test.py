"""The soak of `scripts/scale-test --soak MINUTES`: a steady load through the proxy (clients that
create, read, change and delete an item, so the data stays the same size, and a test email every few
seconds for the workers) while every process's memory and open files, PostgreSQL's connections and
Redis's clients are sampled. After a minute's warm-up nothing should grow: the last sample is
compared with the first after the warm-up.

Prints the samples, a table of the checks and exits 1 when a check fails.
"""
import os
import subprocess
import threading
import time
import urllib.parse
import uuid

from chaos_test import Load
from scale_test import Checks, Cluster, new_email, print_checks, process_status

WARM_UP = 60  # seconds
SAMPLE_EVERY = 30  # seconds


class ItemLifecycleLoad(Load):
    """Each client creates an item, reads it, changes it and deletes it, again and again."""

    def run(self):
        while not self.stopping.is_set():
            created = self.one("POST", "/items/", {"title": f"soak-{uuid.uuid4().hex[:12]}"})
            if created is None or created.status != 200:
                continue
            item = created.json["id"]
            self.one("GET", f"/items/{item}")
            self.one("PUT", f"/items/{item}", {"title": "soaked"})
            self.one("DELETE", f"/items/{item}")


def open_files(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except FileNotFoundError:
        return 0


def query(command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


def sample(cluster, load):
    """One row: per process (RSS MiB, open files), PostgreSQL connections, Redis clients, answers."""
    processes = {name: (process_status(cluster.pid(kind, n), "VmRSS"), open_files(cluster.pid(kind, n)))
                 for name, kind, n in cluster.processes()}
    database = urllib.parse.urlsplit(cluster.arguments.database).path.lstrip("/")
    connections = int(query(["psql", "-Atq", cluster.arguments.database, "-c",
                             f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}'"]))
    with open(os.path.join(cluster.work, "redis", "port")) as file:
        port = file.read().strip()
    clients = int(next(line.split(":")[1] for line in query(["redis-cli", "-p", port, "info", "clients"]).splitlines()
                       if line.startswith("connected_clients:")))
    with load.lock:
        answers = sum(load.outcomes.values())
    return processes, connections, clients, answers


def main():
    cluster = Cluster(__doc__, [("--minutes", {"type": float, "required": True})])
    proxy = cluster.proxy
    email = new_email("soak")
    proxy.call("POST", "/users/signup", body={"email": email, "password": "soak-password"})
    load = ItemLifecycleLoad(proxy, proxy.login(email, "soak-password"), clients=4)
    admin = proxy.login(*cluster.superuser)
    stopping = threading.Event()

    def emails():
        while not stopping.wait(3):
            proxy.call("POST", f"/utils/test-email/?email_to={urllib.parse.quote(new_email('soak'))}", token=admin)

    mailer = threading.Thread(target=emails, daemon=True)
    mailer.start()
    started = time.monotonic()
    duration = cluster.arguments.minutes * 60
    samples = []
    names = [name for name, _, _ in cluster.processes()]
    print("| time | " + " | ".join(f"{name} RSS, files" for name in names) + " | PostgreSQL connections | Redis clients | answers |")
    print("|---|" + "---|" * (len(names) + 3))
    while True:
        elapsed = time.monotonic() - started
        row = sample(cluster, load)
        samples.append((elapsed, row))
        processes, connections, clients, answers = row
        cells = [f"{rss:.1f} MiB, {files}" for rss, files in processes.values()]
        print(f"| {elapsed / 60:.1f} min | " + " | ".join(cells) + f" | {connections} | {clients} | {answers} |", flush=True)
        if elapsed >= duration:
            break
        time.sleep(min(SAMPLE_EVERY, max(0.0, duration - elapsed)))
    stopping.set()
    load.stop()

    checks = Checks()
    baseline = next((row for at, row in samples if at >= WARM_UP), samples[0][1])
    last = samples[-1][1]
    for name in names:
        (rss_then, files_then), (rss_now, files_now) = baseline[0][name], last[0][name]
        checks.add(f"{name}: memory after the warm-up", "grows less than 10% (or 8 MiB)",
                   f"{rss_then:.1f} → {rss_now:.1f} MiB", rss_now <= max(rss_then * 1.10, rss_then + 8))
        checks.add(f"{name}: open files after the warm-up", "grow by 5 at most", f"{files_then} → {files_now}",
                   files_now <= files_then + 5)
    checks.add("PostgreSQL connections after the warm-up", "grow by 2 at most", f"{baseline[1]} → {last[1]}",
               last[1] <= baseline[1] + 2)
    checks.add("Redis clients after the warm-up", "grow by 2 at most", f"{baseline[2]} → {last[2]}", last[2] <= baseline[2] + 2)
    with load.lock:
        total, ok = sum(load.outcomes.values()), load.outcomes["200"]
        errors = {kind: n for kind, n in load.outcomes.items() if kind != "200"}
    checks.add("answers", "all 200", f"{ok} of {total}" + (f"; {errors}" if errors else ""), total > 0 and ok == total)
    print_checks(f"Soak: {cluster.arguments.minutes:g} min of steady load on 2 api and 2 worker processes behind nginx",
                 checks)
    return checks.exit_status()


if __name__ == "__main__":
    raise SystemExit(main())
