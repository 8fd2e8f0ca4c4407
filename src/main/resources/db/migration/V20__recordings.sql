-- Recordings of calls (issue 14 item 6): one row per recording Herald asked ARI for (the whole
-- call, the agent bridge, or a caller's message left in an IVR). The audio stays in Asterisk
-- (stored recordings); Herald keeps where it is, fetches it on download and deletes both on
-- DELETE or when the retention sweep finds it expired.
CREATE TABLE recordings (
    id               uuid PRIMARY KEY,
    account_id       uuid        NOT NULL REFERENCES accounts (id),
    call_id          uuid        NOT NULL REFERENCES calls (id),
    sender_id        uuid        NOT NULL,
    name             text        NOT NULL,
    format           text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('call', 'bridge', 'message')),
    state            text        NOT NULL DEFAULT 'recording'
        CHECK (state IN ('recording', 'done', 'failed')),
    duration_seconds integer,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    UNIQUE (sender_id, name)
);
CREATE INDEX recordings_account_idx ON recordings (account_id, id);
CREATE INDEX recordings_created_idx ON recordings (created_at);
