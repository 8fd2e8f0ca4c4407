-- Background jobs (contact CSV imports for now) and the rows they refused.

CREATE TABLE jobs (
    id              uuid PRIMARY KEY,
    account_id      uuid        NOT NULL REFERENCES accounts (id),
    type            text        NOT NULL CHECK (type IN ('contacts.import')),
    state           text        NOT NULL DEFAULT 'queued'
                                CHECK (state IN ('queued', 'running', 'completed', 'failed')),
    params          jsonb       NOT NULL DEFAULT '{}'::jsonb,  -- file name and size, options
    actor           jsonb       NOT NULL DEFAULT '{}'::jsonb,  -- who asked, for the audit entry
    bytes_total     bigint      NOT NULL DEFAULT 0,
    bytes_read      bigint      NOT NULL DEFAULT 0,
    rows_read       bigint      NOT NULL DEFAULT 0,
    rows_imported   bigint      NOT NULL DEFAULT 0,
    rows_updated    bigint      NOT NULL DEFAULT 0,
    rows_skipped    bigint      NOT NULL DEFAULT 0,
    rows_failed     bigint      NOT NULL DEFAULT 0,
    error_code      text,
    error_detail    text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    heartbeat_at    timestamptz NOT NULL DEFAULT now()   -- the process holding it is alive
);
CREATE INDEX jobs_account_id ON jobs (account_id, id);
CREATE INDEX jobs_unfinished ON jobs (heartbeat_at) WHERE state IN ('queued', 'running');

CREATE TABLE job_errors (
    job_id       uuid     NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    row_number   bigint   NOT NULL,   -- record number, the header being row 1 (as a spreadsheet shows)
    position     smallint NOT NULL,   -- several problems of one row, in column order
    line         bigint   NOT NULL,   -- line of the file where the record starts
    column_name  text,
    reason       text     NOT NULL,
    PRIMARY KEY (job_id, row_number, position)
);
