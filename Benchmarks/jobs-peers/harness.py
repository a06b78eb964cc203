"""Measures Python job queues on one Redis, the same way for each (Benchmarks/jobs-peers/run calls it).

Usage: python harness.py REDIS_URL JOBS ROUNDS [PEER ...]   (peers: arq rq celery celery-early-ack;
       all of them by default). WORKER_PROCESSES overrides the worker process count (default: cores);
       PHASES=drain runs only the drain test.

Each round, for each peer (peers alternate within a round, so noise hits them alike):
  1. drain ("enqueue then drain", the primary figure): FLUSHDB; enqueue JOBS no-op jobs with the
     library's fastest enqueue path (timed: the enqueue rate is printed too); RENAME the queue's
     key aside; start the workers and wait until every one says it is ready, plus 0.5 s; RENAME the
     key back (all JOBS jobs become visible at once; a worker blocked on the empty queue is woken)
     and time until the last job is acknowledged. The jobs are exactly what the library wrote: only
     the key's name changes while the workers start, so worker start-up is not timed.
  2. concurrent: with the same workers running and idle, time from the first enqueue of JOBS more
     jobs to the last acknowledged.
  3. latency: with the workers idle, enqueue LATENCY_JOBS (500) jobs one at a time at LATENCY_RATE
     (200/s); each gets time.time() at its enqueue as its argument and LPUSHes time.time() minus it
     to a Redis list when it starts: enqueue-to-start, p50 and p99.
  Then the workers are stopped (SIGTERM to each one's process group; SIGKILL after 10 s).

"Acknowledged" is read from the library's own state in Redis, polled every 2 ms (a peer's
`done`); the state must hold on two polls in a row, and the first of them is the end time.
Prints round lines ("round N PEER ...") as it goes and, at the end, per peer the best round:
`RESULT <peer> <metric> <value>` with metrics drain_jobs_per_s, concurrent_jobs_per_s,
latency_p50_ms, latency_p99_ms (the highest rate and the lowest latencies over the rounds).
"""
import importlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import redis

HERE = os.path.dirname(os.path.abspath(__file__))
READY_KEY = 'bench:ready'  # workers INCR it when ready (arq, Celery; RQ registers in rq:workers)
LATENCY_KEY = 'bench:latency'  # latency jobs LPUSH their enqueue-to-start seconds here
HOLD_KEY = 'bench:hold'  # the queue's key while the workers start, in the drain test
LATENCY_JOBS = int(os.environ.get('LATENCY_JOBS', '500'))
LATENCY_RATE = float(os.environ.get('LATENCY_RATE', '200'))
POLL_S = 0.002
TIMEOUT_S = float(os.environ.get('BENCH_TIMEOUT', '300'))
# PHASES=drain: only the drain test (for trying settings); the default runs all three.
PHASES = os.environ.get('PHASES', 'drain concurrent latency').split()

# peer name -> (module, extra environment for the driver's import and the workers)
PEERS = {
    'arq': ('arq_peer', {}),
    'rq': ('rq_peer', {}),
    'celery': ('celery_peer', {'BENCH_CELERY_ACKS_LATE': '1'}),
    'celery-early-ack': ('celery_peer', {'BENCH_CELERY_ACKS_LATE': '0'}),
}


class BenchError(Exception):
    pass


def wait_until(predicate, what, timeout=TIMEOUT_S):
    """Polls predicate every 2 ms; returns the perf_counter time of the first of two polls in a row
    that saw it true."""
    deadline = time.perf_counter() + timeout
    while True:
        seen = time.perf_counter()
        if predicate():
            time.sleep(POLL_S)
            if predicate():
                return seen
        if seen > deadline:
            raise BenchError(f'timed out after {timeout:.0f} s waiting for {what}')
        time.sleep(POLL_S)


class Workers:
    def __init__(self, peer, url, env, logdir):
        self.procs = []
        count = int(os.environ.get('WORKER_PROCESSES', '0')) or peer.processes()
        self.count = count
        for index in range(count):
            log = open(os.path.join(logdir, f'{peer.name}-worker{index}.log'), 'ab')
            # Its own session: the whole group (Celery's pool children too) is stopped together.
            self.procs.append(subprocess.Popen(peer.worker_argv(index), cwd=HERE, env=env, stdin=subprocess.DEVNULL,
                                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
            log.close()

    def check_alive(self):
        for p in self.procs:
            if p.poll() is not None:
                raise BenchError(f'a worker (pid {p.pid}) exited with status {p.returncode}')

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 10
        for p in self.procs:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            try:  # whatever is left of its group (pool children), and the worker if it did not stop
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass


def percentile(sorted_values, fraction):
    """Nearest-rank percentile."""
    rank = max(1, -(-int(fraction * 1000) * len(sorted_values) // 1000))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def run_round(name, url, jobs, round_no, logdir):
    module_name, extra_env = PEERS[name]
    env = dict(os.environ, BENCH_REDIS_URL=url, PYTHONDONTWRITEBYTECODE='1', **extra_env)
    os.environ.update(extra_env)
    module = importlib.import_module(module_name)
    peer = module.Peer(name, url)
    r = redis.Redis.from_url(url)
    out = {}
    workers = None
    try:
        # 1. enqueue then drain
        r.flushdb()
        t = time.perf_counter()
        peer.enqueue_bulk(jobs)
        enqueue_s = time.perf_counter() - t
        queued = peer.queued(r)
        if queued != jobs:
            raise BenchError(f'{queued} jobs queued after enqueueing {jobs}')
        r.rename(peer.queue_key, HOLD_KEY)
        workers = Workers(peer, url, env, logdir)

        def ready():
            workers.check_alive()
            return peer.ready_count(r) >= workers.count
        wait_until(ready, 'the workers to be ready', timeout=60)
        time.sleep(0.5)
        t0 = time.perf_counter()
        r.rename(HOLD_KEY, peer.queue_key)
        t1 = wait_until(lambda: peer.done(r), 'the drain')
        workers.check_alive()
        out['enqueue_jobs_per_s'] = jobs / enqueue_s
        out['drain_jobs_per_s'] = jobs / (t1 - t0)
        print(f'round {round_no} {name}: enqueue {jobs} jobs {enqueue_s:.2f} s ({out["enqueue_jobs_per_s"]:.0f} jobs/s);'
              f' drain {t1 - t0:.2f} s ({out["drain_jobs_per_s"]:.0f} jobs/s)', flush=True)

        # 2. concurrent: workers running while enqueueing
        if 'concurrent' not in PHASES:
            return out
        time.sleep(0.5)
        t0 = time.perf_counter()
        peer.enqueue_bulk(jobs)
        t1 = wait_until(lambda: peer.done(r), 'the concurrent run')
        workers.check_alive()
        out['concurrent_jobs_per_s'] = jobs / (t1 - t0)
        print(f'round {round_no} {name}: concurrent enqueue+process {jobs} jobs {t1 - t0:.2f} s'
              f' ({out["concurrent_jobs_per_s"]:.0f} jobs/s)', flush=True)

        # 3. latency at low load
        if 'latency' not in PHASES:
            return out
        time.sleep(0.5)
        r.delete(LATENCY_KEY)
        start = time.perf_counter()
        for i in range(LATENCY_JOBS):
            delay = start + i / LATENCY_RATE - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            peer.enqueue_one(time.time())
        wait_until(lambda: r.llen(LATENCY_KEY) >= LATENCY_JOBS, 'the latency jobs', timeout=60)
        workers.check_alive()
        samples = sorted(float(v) * 1000 for v in r.lrange(LATENCY_KEY, 0, -1))
        out['latency_p50_ms'] = percentile(samples, 0.50)
        out['latency_p99_ms'] = percentile(samples, 0.99)
        print(f'round {round_no} {name}: enqueue-to-start over {len(samples)} jobs at {LATENCY_RATE:.0f}/s:'
              f' p50 {out["latency_p50_ms"]:.2f} ms, p99 {out["latency_p99_ms"]:.2f} ms,'
              f' max {samples[-1]:.2f} ms', flush=True)
    finally:
        if workers:
            workers.stop()
        peer.close()
        r.close()
    return out


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    url, jobs, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    names = sys.argv[4:] or list(PEERS)
    for name in names:
        if name not in PEERS:
            sys.exit(f'unknown peer {name}; the peers: {" ".join(PEERS)}')
    os.environ['BENCH_REDIS_URL'] = url  # the peer modules read it at import
    sys.path.insert(0, HERE)
    logdir = tempfile.mkdtemp(prefix='tern-jobs-bench-logs.')
    print(f'{jobs} jobs, {rounds} round(s), {os.cpu_count()} cores; worker logs in {logdir}', flush=True)
    for name in names:
        module_name, extra_env = PEERS[name]
        os.environ.update(extra_env)
        print(f'{name}: {importlib.import_module(module_name).describe(name)}', flush=True)
    results = {name: [] for name in names}
    failed = False
    for round_no in range(1, rounds + 1):
        for name in names:
            try:
                results[name].append(run_round(name, url, jobs, round_no, logdir))
            except BenchError as error:
                failed = True
                print(f'round {round_no} {name}: FAILED: {error} (worker logs: {logdir})', flush=True)
    print('summary (best round per peer):')
    for name in names:
        rounds_done = results[name]
        if not rounds_done:
            continue
        best = {}
        for metric in ('drain_jobs_per_s', 'concurrent_jobs_per_s', 'enqueue_jobs_per_s'):
            if metric in rounds_done[0]:
                best[metric] = max(o[metric] for o in rounds_done)
        for metric in ('latency_p50_ms', 'latency_p99_ms'):
            if metric in rounds_done[0]:
                best[metric] = min(o[metric] for o in rounds_done)
        print(f'  {name}: ' + ', '.join(f'{metric} {value:.2f}' for metric, value in best.items()))
        for metric in ('drain_jobs_per_s', 'concurrent_jobs_per_s', 'latency_p50_ms', 'latency_p99_ms'):
            if metric in best:
                print(f'RESULT {name} {metric} {best[metric]:.0f}' if metric.endswith('per_s')
                      else f'RESULT {name} {metric} {best[metric]:.2f}')
    if failed:
        sys.exit(1)
    shutil.rmtree(logdir, ignore_errors=True)


if __name__ == '__main__':
    main()
