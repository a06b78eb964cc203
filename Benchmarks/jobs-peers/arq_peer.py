"""arq 0.28 peer: a no-op job, its worker settings, and the driver's enqueue side (harness.py measures).

Worker: `python arq_peer.py worker` = arq.run_worker(WorkerSettings), one asyncio process per core.
Two processes compete for the same jobs: each reads the head of the queue's sorted set and skips the
jobs the other already took (3 round trips per skip). On this 2-core machine, while other builds ran,
one process (max_jobs=100) drained 10,000 jobs at 921-1,130 jobs/s against 694-960 for two
(max_jobs 10 or 100), alternated 3 times; WORKER_PROCESSES=1 gives that layout.
Settings (arq's Worker parameters, https://arq-docs.helpmanual.io/#arq.worker.Worker, the defaults
in brackets):
  - max_jobs=ARQ_MAX_JOBS (100) [10]: "maximum number of jobs to run at a time" per process; a job
    is an asyncio task, so no-op jobs overlap their Redis round trips (take a job: WATCH/MULTI;
    read it; finish: MULTI delete + ZREM). queue_read_limit stays at its default, max(5 x max_jobs,
    100) job ids read per poll.
  - poll_delay=ARQ_POLL_DELAY (0.005 s) [0.5 s]: "duration between polling the queue for new jobs".
    arq polls its sorted set (no blocking pop), so this is the floor of enqueue-to-start latency;
    while jobs are waiting a poll iteration starts jobs until max_jobs run, and the next poll follows.
  - keep_result=0 [3600 s]: "if 0 the result is not kept": finishing a job deletes its keys
    and writes no result.
  - logging at WARNING (run_worker without arq's CLI, which logs every job start and end at INFO).
  - acknowledgement: arq removes a job from the queue (ZREM) only when it finishes (after success
    or final failure), like Tern and Celery with acks_late.
Enqueue: arq has no batch enqueue; ArqRedis.enqueue_job is one WATCH/MULTI transaction per job, so
the driver runs ARQ_ENQUEUE_CONCURRENCY (64) of them at once on the client's connection pool.
Done: the queue's sorted set (arq:queue) is empty, since a job leaves it only when it finishes.
"""
import asyncio
import os
import sys
import time

from arq import create_pool
from arq.connections import RedisSettings
from arq.constants import default_queue_name

URL = os.environ.get('BENCH_REDIS_URL', 'redis://127.0.0.1:6379/0')
MAX_JOBS = int(os.environ.get('ARQ_MAX_JOBS', '100'))
POLL_DELAY = float(os.environ.get('ARQ_POLL_DELAY', '0.005'))
ENQUEUE_CONCURRENCY = int(os.environ.get('ARQ_ENQUEUE_CONCURRENCY', '64'))


async def noop(ctx):
    pass


async def stamp(ctx, enqueued_at):
    await ctx['redis'].lpush('bench:latency', time.time() - enqueued_at)


async def on_startup(ctx):
    await ctx['redis'].incr('bench:ready')


class WorkerSettings:
    functions = [noop, stamp]
    redis_settings = RedisSettings.from_dsn(URL)
    on_startup = on_startup
    max_jobs = MAX_JOBS
    poll_delay = POLL_DELAY
    keep_result = 0


def describe(name):
    processes = int(os.environ.get('WORKER_PROCESSES') or 0) or os.cpu_count()
    return (f'{processes} worker process(es) (arq.run_worker), max_jobs={MAX_JOBS}, poll_delay={POLL_DELAY}s, '
            f'keep_result=0, log level WARNING; enqueue_job x {ENQUEUE_CONCURRENCY} concurrent')


class Peer:
    queue_key = default_queue_name  # arq:queue, a sorted set

    def __init__(self, name, url):
        self.name = name
        self.url = url
        self.loop = asyncio.new_event_loop()
        self.pool = self.loop.run_until_complete(create_pool(RedisSettings.from_dsn(url)))

    def processes(self):
        return os.cpu_count()

    def worker_argv(self, index):
        return [sys.executable, os.path.abspath(__file__), 'worker']

    def enqueue_bulk(self, n):
        async def enqueue(count):
            for _ in range(count):
                if await self.pool.enqueue_job('noop') is None:
                    raise RuntimeError('enqueue_job returned None')

        async def run():
            share, extra = divmod(n, ENQUEUE_CONCURRENCY)
            await asyncio.gather(*(enqueue(share + (i < extra)) for i in range(ENQUEUE_CONCURRENCY)))
        self.loop.run_until_complete(run())

    def enqueue_one(self, enqueued_at):
        self.loop.run_until_complete(self.pool.enqueue_job('stamp', enqueued_at))

    def queued(self, r):
        return r.zcard(self.queue_key)

    def ready_count(self, r):
        return int(r.get('bench:ready') or 0)

    def done(self, r):
        return r.zcard(self.queue_key) == 0

    def close(self):
        self.loop.run_until_complete(self.pool.aclose())
        self.loop.close()


if __name__ == '__main__' and sys.argv[1:] == ['worker']:
    from arq import run_worker
    run_worker(WorkerSettings)
