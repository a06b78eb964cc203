"""Celery 5.6 peer (Redis broker): a no-op task, the app's settings, and the driver's enqueue side
(harness.py measures). Two variants: `celery` (task_acks_late=True, like Tern, which acknowledges a job
only after it succeeded) and `celery-early-ack` (Celery's default, acknowledge before running).

Workers: `celery -A celery_peer worker -P CELERY_POOL -c CELERY_CONCURRENCY --without-gossip
--without-mingle --without-heartbeat -l WARNING`, CELERY_PROCESSES of them (pool and counts below).
  - -P solo, one worker process per core (default): the solo pool runs each task in the worker
    process itself (`-P, --pool ... solo`, https://docs.celeryq.dev/en/stable/reference/cli.html#celery-worker):
    no pipe to a pool child per task. With tasks that do nothing, that hand-off is most of the cost;
    one trial on this machine (2 cores, busy with other builds, 10,000 jobs, acks_late) drained
    1,297 jobs/s with 2 x solo, 561 with one prefork worker -c 2, 659 with 2 x prefork -c 1 and
    681 with 2 x threads -c 4. CELERY_POOL=prefork CELERY_PROCESSES=1 CELERY_CONCURRENCY=2 gives the
    classic prefork layout.
  - --without-gossip --without-mingle --without-heartbeat: no worker-to-worker broadcast traffic
    (https://docs.celeryq.dev/en/stable/reference/cli.html#celery-worker).
  - worker_prefetch_multiplier=64 [4]: "If you have many short-running tasks, and throughput/round
    trip latency is important to you, this number should be large ... Say 64, or 128"
    (https://docs.celeryq.dev/en/stable/userguide/optimizing.html#prefetch-limits).
  - task_ignore_result=True and no result backend (https://docs.celeryq.dev/en/stable/userguide/
    tasks.html#ignore-results-you-don-t-want): nothing written per task besides the broker's ack.
  - worker_disable_rate_limits=True, worker_send_task_events=False (the default), log level WARNING
    (Celery logs each received and succeeded task at INFO).
  - task_acks_late: True for `celery`, False for `celery-early-ack`
    (https://docs.celeryq.dev/en/stable/userguide/configuration.html#task-acks-late).
Enqueue: Celery has no batch publish; the driver publishes with apply_async on one producer acquired
once (app.producer_or_acquire()), one LPUSH per task.
Done: the queue's list (`celery`) is empty and nothing is in kombu's unacked hash (`unacked`): the
Redis transport moves a message there when a worker takes it and deletes it at the ack. With early
acks that is just before the task runs, so up to one task per worker process may still be running
then (a no-op: microseconds).
"""
import os
import time

import redis
from celery import Celery
from celery.signals import worker_ready

URL = os.environ.get('BENCH_REDIS_URL', 'redis://127.0.0.1:6379/0')
ACKS_LATE = os.environ.get('BENCH_CELERY_ACKS_LATE', '1') == '1'
POOL = os.environ.get('CELERY_POOL', 'solo')
CONCURRENCY = int(os.environ.get('CELERY_CONCURRENCY', '1' if POOL == 'solo' else str(os.cpu_count())))
PROCESSES = int(os.environ.get('WORKER_PROCESSES') or os.environ.get('CELERY_PROCESSES') or os.cpu_count())
PREFETCH = int(os.environ.get('CELERY_PREFETCH_MULTIPLIER', '64'))

app = Celery('celery_peer', broker=URL)
app.conf.update(
    task_acks_late=ACKS_LATE,
    worker_prefetch_multiplier=PREFETCH,
    task_ignore_result=True,
    result_backend=None,
    worker_disable_rate_limits=True,
    worker_send_task_events=False,
    task_send_sent_event=False,
    task_default_queue='celery',
    broker_connection_retry_on_startup=True,
)
_redis = None


@app.task(name='noop', ignore_result=True)
def noop():
    pass


@app.task(name='stamp', ignore_result=True)
def stamp(enqueued_at):
    global _redis
    if _redis is None:
        _redis = redis.Redis.from_url(URL)
    _redis.lpush('bench:latency', time.time() - enqueued_at)


@worker_ready.connect
def _ready(**_):
    client = redis.Redis.from_url(URL)
    client.incr('bench:ready')
    client.close()


def describe(name):
    acks = 'task_acks_late=True' if name == 'celery' else 'task_acks_late=False (early ack, the default)'
    return (f'{PROCESSES} `celery worker` process(es) -P {POOL} -c {CONCURRENCY} --without-gossip --without-mingle '
            f'--without-heartbeat -l WARNING; {acks}, worker_prefetch_multiplier={PREFETCH}, task_ignore_result=True, '
            f'no result backend, worker_disable_rate_limits=True; apply_async on one producer')


class Peer:
    queue_key = 'celery'

    def __init__(self, name, url):
        self.name = name
        self.url = url

    def processes(self):
        return PROCESSES

    def worker_argv(self, index):
        import sys
        return [sys.executable, '-m', 'celery', '-A', 'celery_peer', 'worker', '-P', POOL, '-c', str(CONCURRENCY),
                '--without-gossip', '--without-mingle', '--without-heartbeat', '-l', 'WARNING',
                '-n', f'bench{index}@%h', '-Q', 'celery']

    def enqueue_bulk(self, n):
        with app.producer_or_acquire() as producer:
            for _ in range(n):
                noop.apply_async(producer=producer)

    def enqueue_one(self, enqueued_at):
        stamp.apply_async((enqueued_at,))

    def queued(self, r):
        return r.llen(self.queue_key)

    def ready_count(self, r):
        return int(r.get('bench:ready') or 0)

    def done(self, r):
        with r.pipeline(transaction=False) as pipe:
            pipe.llen(self.queue_key)
            pipe.hlen('unacked')
            return not any(pipe.execute())

    def close(self):
        pass
