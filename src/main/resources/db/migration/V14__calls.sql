-- Voice calls (issue 14): one row per call attempt, queued by POST /api/v1/calls and dialled by the
-- sender's lane, and one CDR per attempt that was dialled, written in the transaction that ends the
-- call (so a call is never ended without its record, nor recorded twice).
CREATE TABLE calls (
    id               uuid PRIMARY KEY,
    account_id       uuid        NOT NULL REFERENCES accounts (id),
    sender_id        uuid        NOT NULL REFERENCES senders (id),
    to_number        text        NOT NULL,
    caller_id        text,
    status           text        NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'dialing', 'ringing', 'answered', 'completed', 'busy',
                          'no_answer', 'failed', 'canceled', 'machine')),
    -- play, record, amd, timeout_seconds, variables, as the request gave them
    options          jsonb       NOT NULL DEFAULT '{}',
    -- the ARI channel id, chosen by Herald before the originate (so a crash never loses it)
    channel_id       text,
    -- the lane that dialled it (a token per lane instance): another lane's in-flight calls are
    -- orphans its successor reconciles
    claim_token      uuid,
    attempts         integer     NOT NULL DEFAULT 0,
    not_before       timestamptz NOT NULL DEFAULT now(),
    hangup_requested boolean     NOT NULL DEFAULT false,
    hangup_cause     integer,
    hangup_cause_text text,
    amd_status       text,
    amd_cause        text,
    dtmf             text        NOT NULL DEFAULT '',
    recording        text,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    dialed_at        timestamptz,
    ringing_at       timestamptz,
    answered_at      timestamptz,
    ended_at         timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX calls_account_idx ON calls (account_id, id);
CREATE INDEX calls_live_idx ON calls (sender_id, not_before, id)
    WHERE status IN ('queued', 'dialing', 'ringing', 'answered');

CREATE TABLE cdrs (
    id                uuid PRIMARY KEY,
    account_id        uuid        NOT NULL REFERENCES accounts (id),
    call_id           uuid        NOT NULL UNIQUE REFERENCES calls (id),
    sender_id         uuid        NOT NULL,
    to_number         text        NOT NULL,
    caller_id         text,
    started_at        timestamptz NOT NULL,
    answered_at       timestamptz,
    ended_at          timestamptz NOT NULL,
    ring_seconds      numeric(10, 3) NOT NULL,
    talk_seconds      numeric(10, 3) NOT NULL,
    disposition       text        NOT NULL
        CHECK (disposition IN ('completed', 'busy', 'no_answer', 'failed', 'canceled', 'machine')),
    hangup_cause      integer,
    hangup_cause_text text,
    amd_status        text,
    amd_cause         text,
    dtmf              text        NOT NULL DEFAULT '',
    recording         text,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cdrs_account_idx ON cdrs (account_id, id);
CREATE INDEX cdrs_account_ended_idx ON cdrs (account_id, ended_at);
