DROP TABLE tern_job_effect;
DROP TABLE tern_job_tick;
DROP TABLE tern_job_outbox;
DROP TABLE tern_job;
