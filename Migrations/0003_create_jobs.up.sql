-- Jobs (TernJobs): the queue of the database backend, the outbox the Redis backend relays from, the
-- ticks that make periodic jobs run once per tick, and the idempotency keys of job effects.
-- Times are milliseconds since 1970 (the workers' clocks), so both dialects compare them alike.

CREATE TABLE tern_job (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    queue TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'dead')),
    attempt INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    timeout_ms BIGINT,
    -- While set, enqueueing another job with the same key returns this one; cleared when it dies.
    unique_key TEXT UNIQUE,
    run_at BIGINT NOT NULL,
    enqueued_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    locked_by TEXT,
    locked_until BIGINT,
    last_error TEXT
);
-- Claims walk each queue's waiting jobs oldest first; leases that ran out are found by their end.
CREATE INDEX tern_job_due ON tern_job (queue, run_at) WHERE state = 'queued';
CREATE INDEX tern_job_leases ON tern_job (locked_until) WHERE state = 'running';

CREATE TABLE tern_job_outbox (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    envelope TEXT NOT NULL
);

CREATE TABLE tern_job_tick (
    name TEXT NOT NULL,
    tick BIGINT NOT NULL,
    PRIMARY KEY (name, tick)
);

CREATE TABLE tern_job_effect (
    key TEXT PRIMARY KEY,
    recorded_at BIGINT NOT NULL
);
