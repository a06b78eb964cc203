"""RQ 2.12 peer: a no-op job and the driver's enqueue side (harness.py measures).

Workers: one `rq worker` process per core (RQ runs one job at a time per worker: "Each worker will
process a single job at a time", https://python-rq.org/docs/workers/), with
  - --worker-class rq.worker.SimpleWorker: runs the job in the worker process, no fork() per job. RQ's
    own notes on performance (https://github.com/rq/rq/blob/master/docs/benchmark.md, "Notes on
    Performance"): SimpleWorker did 1,000 jobs in 1.02 s against 6.64 s for the default Worker,
    "Use SimpleWorker in production only if your jobs are extremely short-lived (single digit
    milliseconds)", which a no-op is. RQ_WORKER_CLASS=rq.worker.Worker gives the forking default.
  - --logging_level WARNING: RQ logs two INFO lines per job by default.
  - one queue per worker: RQ 2.x then dequeues with BLMOVE into an intermediate list (a blocking pop,
    no polling), and acknowledges a job when it finishes: it leaves the started registry
    (rq:wip:default) in the success transaction.
Jobs: result_ttl=0 (`q.enqueue(foo, result_ttl=0)  # result gets deleted immediately`,
https://python-rq.org/docs/results/#result-ttl): a finished job's hash is deleted, no result kept.
Enqueue: Queue.enqueue_many with a pipeline ("Bulk Job Enqueueing", https://python-rq.org/docs/),
RQ_BATCH (1000) jobs per pipeline round trip.
Done: the queue's list and its intermediate list are empty, nothing is in the started registry, and
no job hash (rq:job:*) is left (a job's hash goes in its success transaction, with result_ttl=0).
"""
import os
import sys
import time

from redis import Redis
from rq import Queue

URL = os.environ.get('BENCH_REDIS_URL', 'redis://127.0.0.1:6379/0')
WORKER_CLASS = os.environ.get('RQ_WORKER_CLASS', 'rq.worker.SimpleWorker')
BATCH = int(os.environ.get('RQ_BATCH', '1000'))
_redis = None


def noop():
    pass


def stamp(enqueued_at):
    global _redis
    if _redis is None:
        _redis = Redis.from_url(URL)
    _redis.lpush('bench:latency', time.time() - enqueued_at)


def describe(name):
    processes = int(os.environ.get('WORKER_PROCESSES') or 0) or os.cpu_count()
    return (f'{processes} `rq worker` processes, --worker-class {WORKER_CLASS}, --logging_level WARNING; '
            f'jobs with result_ttl=0; enqueue_many with a pipeline, {BATCH} jobs per batch')


class Peer:
    queue_key = 'rq:queue:default'

    def __init__(self, name, url):
        self.name = name
        self.url = url
        self.redis = Redis.from_url(url)
        self.queue = Queue('default', connection=self.redis)

    def processes(self):
        return os.cpu_count()

    def worker_argv(self, index):
        rq = os.path.join(os.path.dirname(sys.executable), 'rq')
        return [rq, 'worker', '--url', self.url, '--worker-class', WORKER_CLASS, '--logging_level', 'WARNING',
                '--name', f'bench-{os.getpid()}-{index}', '--path', os.path.dirname(os.path.abspath(__file__)),
                'default']

    def enqueue_bulk(self, n):
        while n > 0:
            count = min(n, BATCH)
            with self.redis.pipeline() as pipe:
                self.queue.enqueue_many([Queue.prepare_data(noop, result_ttl=0) for _ in range(count)], pipeline=pipe)
                pipe.execute()
            n -= count

    def enqueue_one(self, enqueued_at):
        self.queue.enqueue(stamp, enqueued_at, result_ttl=0)

    def queued(self, r):
        return r.llen(self.queue_key)

    def ready_count(self, r):
        return r.scard('rq:workers')

    def done(self, r):
        with r.pipeline(transaction=False) as pipe:
            pipe.llen(self.queue_key)
            pipe.llen(self.queue_key + ':intermediate')
            pipe.zcard('rq:wip:default')
            if any(pipe.execute()):
                return False
        # Only small once the lists are empty: at most one job per worker is left.
        return not r.keys('rq:job:*')

    def close(self):
        self.redis.close()
