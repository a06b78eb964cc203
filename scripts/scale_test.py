"""The checks of scripts/scale-test, which starts the processes and passes their addresses.

Each check adds a row to the table printed at the end: what was expected, what was seen. The
process table gives each process's requests served (by the proxy's X-Upstream header), jobs run (by
the worker's own counter) and peak RSS (VmHWM). Exits 1 if any check failed.
"""
import argparse
import collections
import concurrent.futures
import email
import email.policy
import http.client
import json
import os
import re
import subprocess
import threading
import time
import urllib.parse
import uuid

from websockets.sync.client import connect

API = "/api/v1"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.text = body.decode("utf-8", "replace")

    @property
    def json(self):
        try:
            return json.loads(self.text)
        except ValueError:
            return None

    @property
    def detail(self):
        body = self.json
        return body.get("detail") if isinstance(body, dict) else None


class Client:
    """One base URL (the proxy or one api process); a connection per request, so threads share it."""

    def __init__(self, base):
        self.base = base
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port
        # Through the proxy: how many answers each process gave (its X-Upstream header).
        self.served = collections.Counter()
        self.lock = threading.Lock()

    def call(self, method, path, token=None, body=None, form=None, headers=None, timeout=30):
        headers = dict(headers or {})
        data = None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, API + path, body=data, headers=headers)
            answer = connection.getresponse()
            response = Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, answer.read())
        finally:
            connection.close()
        if upstream := response.headers.get("x-upstream"):
            with self.lock:
                self.served[upstream] += 1
        return response

    def login(self, email, password):
        answer = self.call("POST", "/login/access-token", form={"username": email, "password": password})
        if answer.status != 200:
            raise RuntimeError(f"login of {email} answered {answer.status} {answer.text}")
        return answer.json["access_token"]

    def socket_url(self, token):
        return self.base.replace("http://", "ws://") + f"{API}/notifications/items/ws?token={token}"


class Checks:
    def __init__(self):
        self.rows = []

    def add(self, name, expected, observed, ok):
        self.rows.append((name, str(expected), str(observed), ok))
        print(f"  {'ok  ' if ok else 'FAIL'} {name}: expected {expected}, saw {observed}", flush=True)

    def failed(self):
        return [row for row in self.rows if not row[3]]

    def exit_status(self):
        """Says how many passed; 1 if any failed."""
        failed = self.failed()
        print(f"\n{len(self.rows) - len(failed)} of {len(self.rows)} checks passed")
        return 1 if failed else 0


class Steps:
    """Named expectations of one check, counted: the check passes when every step does."""

    def __init__(self):
        self.passed = 0
        self.failures = []

    def expect(self, condition, what):
        if condition:
            self.passed += 1
        else:
            self.failures.append(what)

    @property
    def total(self):
        return self.passed + len(self.failures)


def new_email(kind):
    return f"scale-{kind}-{uuid.uuid4().hex[:8]}@example.com"


def sink_messages(folder):
    """Every message the SMTP sink kept: (recipients, message text)."""
    messages = []
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if name.endswith(".json"):
            with open(os.path.join(folder, name)) as file:
                envelope = json.load(file)
            with open(os.path.join(folder, os.path.basename(envelope["eml"])), "rb") as file:
                message = email.message_from_binary_file(file, policy=email.policy.default)
            texts = [part.get_content() for part in message.walk() if part.get_content_maintype() == "text"]
            messages.append((envelope["rcpt_tos"], "\n".join(texts)))
    return messages


def wait_for_mail(folder, recipients, deadline, containing=""):
    """The messages to each of `recipients` that contain `containing`, once every one has at least
    one or at the deadline."""
    wanted = set(recipients)
    while True:
        found = {}
        for tos, text in sink_messages(folder):
            for to in tos:
                if to in wanted and containing in text:
                    found.setdefault(to, []).append(text)
        if set(found) == wanted or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


# MARK: The checks


def contract_routes(proxy, sink, superuser, checks):
    """The contract's routes through the proxy, as the reference template's route tests use them."""
    steps = Steps()
    expect = steps.expect
    health = proxy.call("GET", "/utils/health-check/")
    expect(health.status == 200 and health.json is True, "health check answers true")

    admin = proxy.login(*superuser)
    wrong = proxy.call("POST", "/login/access-token", form={"username": superuser[0], "password": "wrong-password"})
    expect(wrong.status == 400 and wrong.detail == "Incorrect email or password", "a wrong password is a 400")
    missing = proxy.call("POST", "/login/access-token", form={"username": superuser[0]})
    expect(missing.status == 422 and missing.detail[0]["loc"] == ["body", "password"], "a missing password is a 422")

    email, password = new_email("user"), "scale-password-1"
    signup = proxy.call("POST", "/users/signup", body={"email": email, "password": password, "full_name": "Scale"})
    expect(signup.status == 200 and signup.json["email"] == email and signup.json["is_superuser"] is False,
           "signup creates an ordinary user")
    expect("password" not in signup.text and "hashed_password" not in signup.text, "no password in the answer")
    again = proxy.call("POST", "/users/signup", body={"email": email, "password": password})
    expect(again.status == 400 and again.detail == "The user with this email already exists in the system",
           "a second signup is a 400")
    user_id = signup.json["id"]

    token = proxy.login(email, password)
    tested = proxy.call("POST", "/login/test-token", token=token)
    expect(tested.status == 200 and tested.json["id"] == user_id, "test-token names the user")
    for attempt in range(4):  # the proxy alternates: every process accepts the token
        me = proxy.call("GET", "/users/me", token=token)
        expect(me.status == 200 and me.json["email"] == email, f"users/me ({attempt})")
    renamed = proxy.call("PATCH", "/users/me", token=token, body={"full_name": "Scale Renamed"})
    expect(renamed.status == 200 and renamed.json["full_name"] == "Scale Renamed", "users/me changes the name")
    no_token = proxy.call("GET", "/users/me")
    expect(no_token.status == 401 and no_token.detail == "Not authenticated", "no token is a 401")
    expect(no_token.headers.get("www-authenticate") == "Bearer", "with WWW-Authenticate: Bearer")
    bad_token = proxy.call("GET", "/users/me", token="not-a-token")
    expect(bad_token.status == 403 and bad_token.detail == "Could not validate credentials", "a bad token is a 403")

    created = proxy.call("POST", "/items/", token=token, body={"title": "Scale item", "description": "d"})
    expect(created.status == 200 and created.json["owner_id"] == user_id,
           f"an item is created, owned by the user (answered {created.status} {created.text[:200]})")
    item_id = created.json["id"]
    expect(proxy.call("GET", f"/items/{item_id}", token=token).json["title"] == "Scale item", "the item is read")
    listed = proxy.call("GET", "/items/", token=token)
    expect(listed.json["count"] == 1 and listed.json["data"][0]["id"] == item_id, "the list has the item")
    updated = proxy.call("PUT", f"/items/{item_id}", token=token, body={"title": "Renamed"})
    expect(updated.json["title"] == "Renamed" and updated.json["description"] == "d", "a partial update")
    invalid = proxy.call("POST", "/items/", token=token, body={})
    expect(invalid.status == 422 and invalid.detail[0]["type"] == "missing"
           and invalid.detail[0]["loc"] == ["body", "title"], "an item without a title is a 422")
    bad_id = proxy.call("GET", "/items/not-a-uuid", token=token)
    expect(bad_id.status == 422 and bad_id.detail[0]["loc"] == ["path", "id"], "a bad UUID is a 422")

    other_email = new_email("other")
    other = proxy.call("POST", "/users/", token=admin, body={"email": other_email, "password": "other-password"})
    expect(other.status == 200, "a superuser creates a user")
    other_token = proxy.login(other_email, "other-password")
    forbidden = proxy.call("GET", f"/items/{item_id}", token=other_token)
    expect(forbidden.status == 403 and forbidden.detail == "Not enough permissions", "another user's item is a 403")
    not_admin = proxy.call("GET", "/users/", token=token)
    expect(not_admin.status == 403 and not_admin.detail == "The user doesn't have enough privileges",
           "a user cannot list users")
    users = proxy.call("GET", "/users/", token=admin)
    expect(users.status == 200 and users.json["count"] >= 3, "a superuser lists users")
    changed = proxy.call("PATCH", f"/users/{other.json['id']}", token=admin, body={"full_name": "Other"})
    expect(changed.status == 200 and changed.json["full_name"] == "Other", "a superuser changes a user")
    deleted_user = proxy.call("DELETE", f"/users/{other.json['id']}", token=admin)
    expect(deleted_user.json == {"message": "User deleted successfully"}, "a superuser deletes a user")
    gone_user = proxy.call("GET", f"/users/{other.json['id']}", token=admin)
    expect(gone_user.status == 404 and gone_user.detail == "User not found", "a deleted user is a 404")

    deleted = proxy.call("DELETE", f"/items/{item_id}", token=token)
    expect(deleted.json == {"message": "Item deleted successfully"}, "the item is deleted")
    gone = proxy.call("GET", f"/items/{item_id}", token=token)
    expect(gone.status == 404 and gone.detail == "Item not found", "a deleted item is a 404")

    recovery = proxy.call("POST", f"/password-recovery/{email}")
    expect(recovery.status == 200, "password recovery answers 200")
    reset_mail = wait_for_mail(sink, [email], time.monotonic() + 30, containing="reset-password?token=").get(email, [])
    expect(len(reset_mail) == 1, f"the recovery email arrives once, through a worker ({len(reset_mail)} arrived)")
    if reset_mail:
        reset_token = re.search(r"reset-password\?token=([A-Za-z0-9_.\-]+)", reset_mail[0]).group(1)
        reset = proxy.call("POST", "/reset-password/", body={"token": reset_token, "new_password": "scale-password-2"})
        expect(reset.json == {"message": "Password updated successfully"}, "the emailed token resets the password")
        relogin = proxy.call("POST", "/login/access-token", form={"username": email, "password": "scale-password-2"})
        expect(relogin.status == 200, "the new password logs in")

    observed = f"{steps.passed} of {steps.total} steps" + (f"; failed: {'; '.join(steps.failures)}" if steps.failures else "")
    checks.add("contract routes through the proxy", f"{steps.total} of {steps.total} steps", observed, not steps.failures)


def rate_limit(proxy, checks, upstreams):
    """One client (its address in X-Forwarded-For, as the proxy passes it on) gets exactly the default
    rule's 1000 requests a day, whichever process serves them."""
    client = f"198.51.100.{uuid.uuid4().int % 250 + 1}"

    def health(_):
        answer = proxy.call("GET", "/utils/health-check/", headers={"X-Forwarded-For": client})
        return answer.status, answer.headers.get("x-upstream"), answer.headers.get("retry-after")

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(health, range(1300)))
    admitted = sum(status == 200 for status, _, _ in answers)
    refused = [answer for answer in answers if answer[0] == 429]
    by_process = {upstream: sum(1 for status, up, _ in answers if up == upstream and status == 200) for upstream in upstreams}
    spread = " and ".join(str(count) for count in by_process.values())
    checks.add("rate limit: 1300 requests of one client, limit 1000/day", "1000 admitted, 300 refused (429)",
               f"{admitted} admitted ({spread} by each process), {len(refused)} refused",
               admitted == 1000 and len(refused) == 300 and all(by_process.values()))
    checks.add("refusals carry Retry-After", "all 300", f"{sum(1 for *_, retry in refused if retry)}",
               refused and all(retry for *_, retry in refused))


def cache_coherence(proxy, apis, checks, superuser):
    """Each item is read through both processes (cached), changed through one, and read again at once
    through both; then deleted through one and read through the other. A user deactivated through one
    process is refused at once by the other."""
    email = new_email("cache")
    proxy.call("POST", "/users/signup", body={"email": email, "password": "cache-password"})
    token = proxy.login(email, "cache-password")
    rounds, stale = 40, []
    for n in range(rounds):
        writer, reader = apis[n % 2], apis[(n + 1) % 2]
        item_id = writer.call("POST", "/items/", token=token, body={"title": f"v0-{n}"}).json["id"]
        for api in apis:
            api.call("GET", f"/items/{item_id}", token=token)
        writer.call("PUT", f"/items/{item_id}", token=token, body={"title": f"v1-{n}"})
        for api in apis:
            title = api.call("GET", f"/items/{item_id}", token=token).json.get("title")
            if title != f"v1-{n}":
                stale.append(f"item {n} read {title!r}")
        writer.call("DELETE", f"/items/{item_id}", token=token)
        if (status := reader.call("GET", f"/items/{item_id}", token=token).status) != 404:
            stale.append(f"item {n} deleted, read {status}")
    checks.add(f"cache: {rounds} items changed and deleted through one process, read through both",
               "0 stale reads", f"{len(stale)} stale reads" + (f": {stale[:3]}" if stale else ""), not stale)

    admin = apis[0].login(*superuser)
    user_id = apis[1].call("GET", "/users/me", token=token).json["id"]  # cached on the second process
    apis[0].call("PATCH", f"/users/{user_id}", token=admin, body={"is_active": False})
    inactive = apis[1].call("GET", "/users/me", token=token)
    apis[0].call("PATCH", f"/users/{user_id}", token=admin, body={"is_active": True})
    # Deactivation ended the user's sessions: they log in again, through the first process.
    active = apis[1].call("GET", "/users/me", token=apis[0].login(email, "cache-password"))
    checks.add("cache: a user deactivated through one process, then reactivated", "400 Inactive user, then 200",
               f"{inactive.status} {inactive.detail}, then {active.status}",
               inactive.status == 400 and inactive.detail == "Inactive user" and active.status == 200)


def jobs_once(proxy, sink, checks, superuser, worker_metrics):
    """Test emails enqueued through the proxy (both processes) each arrive exactly once, and the
    workers' counters of that job add up to the number enqueued."""
    before = [job_count(url, "email.test") for url in worker_metrics]
    admin = proxy.login(*superuser)
    recipients = [new_email(f"job{n}") for n in range(200)]

    def enqueue(address):
        return proxy.call("POST", f"/utils/test-email/?email_to={urllib.parse.quote(address)}", token=admin).status

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(enqueue, recipients))
    accepted = sum(status == 201 for status in statuses)
    received = wait_for_mail(sink, recipients, time.monotonic() + 60)
    time.sleep(1)  # a duplicate would arrive within the second
    received = wait_for_mail(sink, recipients, time.monotonic())
    once = sum(len(received.get(address, [])) == 1 for address in recipients)
    twice = sum(len(received.get(address, [])) > 1 for address in recipients)
    missing = sum(address not in received for address in recipients)
    ran = [job_count(url, "email.test") - start for url, start in zip(worker_metrics, before)]
    checks.add("jobs: 200 test emails enqueued through both processes", "200 accepted, each received once",
               f"{accepted} accepted; {once} once, {twice} more than once, {missing} missing",
               accepted == 200 and once == 200)
    checks.add("jobs: runs counted by the two workers", "200 in all, by both",
               f"{sum(ran)} ({' + '.join(map(str, ran))})", sum(ran) == 200 and all(ran))
    return ran


def job_count(metrics_url, job):
    """The worker's `tern_jobs_processed_total` for `job`, from its /metrics."""
    url = urllib.parse.urlsplit(metrics_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    connection.request("GET", url.path)
    text = connection.getresponse().read().decode()
    connection.close()
    total = 0
    for line in text.splitlines():
        if line.startswith("tern_jobs_processed_total{") and f'job="{job}"' in line:
            total += int(float(line.rsplit(" ", 1)[1]))
    return total


def notifications(proxy, apis, checks):
    """Sockets on each process and through the proxy hear of changes made through either process."""
    email = new_email("socket")
    proxy.call("POST", "/users/signup", body={"email": email, "password": "socket-password"})
    token = proxy.login(email, "socket-password")
    places = {"process 1": apis[0], "process 2": apis[1], "proxy": proxy}
    sockets = {name: connect(client.socket_url(token), open_timeout=10) for name, client in places.items()}
    try:
        for socket in sockets.values():  # subscribed once the pong comes back
            socket.send(json.dumps({"type": "ping"}))
            assert json.loads(socket.recv(timeout=10))["type"] == "pong"
        expected, heard = 0, 0
        for writer in apis:
            item_id = writer.call("POST", "/items/", token=token, body={"title": "heard"}).json["id"]
            writer.call("PUT", f"/items/{item_id}", token=token, body={"title": "heard again"})
            writer.call("DELETE", f"/items/{item_id}", token=token)
            for socket in sockets.values():
                for change in ("item.created", "item.updated", "item.deleted"):
                    expected += 1
                    try:
                        message = json.loads(socket.recv(timeout=10))
                        heard += message["type"] == change and message["item"]["id"] == item_id
                    except TimeoutError:
                        pass
    finally:
        for socket in sockets.values():
            socket.close()
    checks.add("WebSocket: changes through each process, sockets on both and through the proxy",
               f"{expected} messages heard, in order", f"{heard}", heard == expected)


class Cluster:
    """What scripts/scale-test started, from its arguments: the addresses, and the processes by their
    pid files in its work folder (`$work/start KIND N` starts one again)."""

    def __init__(self, description, extra_arguments=()):
        parser = argparse.ArgumentParser(description=description)
        parser.add_argument("--proxy", required=True)
        parser.add_argument("--api", nargs=2, required=True)
        parser.add_argument("--worker-metrics", nargs=2, required=True)
        parser.add_argument("--work", required=True)
        parser.add_argument("--database", required=True)
        parser.add_argument("--superuser", nargs=2, required=True)
        for name, options in extra_arguments:
            parser.add_argument(name, **options)
        self.arguments = parser.parse_args()
        self.proxy = Client(self.arguments.proxy)
        self.apis = [Client(url) for url in self.arguments.api]
        self.worker_metrics = self.arguments.worker_metrics
        self.work = self.arguments.work
        self.sink = os.path.join(self.work, "smtp", "messages")
        self.superuser = tuple(self.arguments.superuser)

    def pid(self, kind, n):
        with open(os.path.join(self.work, f"{kind}-{n}.pid")) as file:
            return int(file.read())

    def start(self, kind, n):
        subprocess.run([os.path.join(self.work, "start"), kind, str(n)], check=True)

    def processes(self):
        """(name, kind, n) of every api and worker process."""
        return [(f"{kind} {n + 1}", kind, n) for kind in ("api", "worker") for n in (0, 1)]

    def upstream(self, n):
        return urllib.parse.urlsplit(self.arguments.api[n]).netloc


def process_status(pid, field):
    """A figure of /proc/PID/status in MiB (VmRSS, VmHWM), or 0 when the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as file:
            for line in file:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


def print_checks(title, checks):
    print(f"\n{title}\n")
    width = max(len(row[0]) for row in checks.rows)
    print(f"| {'check':<{width}} | expected | observed | result |")
    print(f"|{'-' * (width + 2)}|---|---|---|")
    for name, expected, observed, ok in checks.rows:
        print(f"| {name:<{width}} | {expected} | {observed} | {'pass' if ok else 'FAIL'} |")


def run_checks(checks, named_checks):
    """Runs each check; one that cannot finish fails, and the others still run."""
    for name, check in named_checks:
        try:
            check()
        except Exception as error:
            checks.add(name, "to finish", f"{type(error).__name__}: {error}", False)


def main():
    cluster = Cluster(__doc__)
    proxy, apis, superuser = cluster.proxy, cluster.apis, cluster.superuser
    started = time.monotonic()
    checks = Checks()
    jobs = [0, 0]

    def count_jobs():
        jobs[:] = jobs_once(proxy, cluster.sink, checks, superuser, cluster.worker_metrics)

    run_checks(checks, [
        ("contract routes", lambda: contract_routes(proxy, cluster.sink, superuser, checks)),
        ("rate limit", lambda: rate_limit(proxy, checks, [cluster.upstream(n) for n in (0, 1)])),
        ("cache coherence", lambda: cache_coherence(proxy, apis, checks, superuser)),
        ("jobs", count_jobs),
        ("notifications", lambda: notifications(proxy, apis, checks)),
    ])
    print_checks(f"Scale test: 2 api and 2 worker processes behind nginx, {time.monotonic() - started:.0f} s", checks)
    print("\n| process | pid | answers through the proxy | email.test jobs run | peak RSS |")
    print("|---|---|---|---|---|")
    for name, kind, n in cluster.processes():
        pid = cluster.pid(kind, n)
        answers = proxy.served[cluster.upstream(n)] if kind == "api" else "-"
        ran = jobs[n] if kind == "worker" else "-"
        print(f"| {name} | {pid} | {answers} | {ran} | {process_status(pid, 'VmHWM'):.1f} MiB |")
    return checks.exit_status()


if __name__ == "__main__":
    raise SystemExit(main())
