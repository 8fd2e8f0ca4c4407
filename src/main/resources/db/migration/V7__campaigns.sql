-- Campaigns: a paced stream of messages to an audience. The audience is snapshotted into
-- campaign_recipients when the campaign starts (inline numbers and CSV rows when it is created);
-- the campaign engine turns pending recipients into messages in small batches at the campaign's
-- rate, so a recipient's message exists only once it is due. (V6 belongs to the contact import.)

CREATE TABLE campaigns (
    id                         uuid PRIMARY KEY,
    account_id                 uuid        NOT NULL REFERENCES accounts (id),
    parent_id                  uuid        REFERENCES campaigns (id) ON DELETE SET NULL,
    name                       text        NOT NULL,
    channel                    text        NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'voice')),
    status                     text        NOT NULL CHECK (status IN ('draft', 'scheduled', 'running',
                                               'paused', 'completed', 'stopped', 'failed')),
    sender_ids                 uuid[]      NOT NULL DEFAULT '{}',  -- empty: the account's default
    message                    text,
    template_id                uuid,
    variants                   jsonb,       -- [{name, message | template_id, percentage}]
    group_ids                  uuid[]      NOT NULL DEFAULT '{}',
    contact_ids                uuid[]      NOT NULL DEFAULT '{}',
    start_at                   timestamptz,
    recurrence                 jsonb,       -- {frequency, time, day_of_week, day_of_month, timezone, ...}
    next_run_at                timestamptz, -- a recurring campaign's next child run
    rate_per_second            double precision,
    delay_between_messages_ms  integer,
    weight                     integer     NOT NULL DEFAULT 1,
    quiet_hours                jsonb,       -- {start, end, timezone}
    max_attempts               integer     NOT NULL DEFAULT 1,
    retry_delay_seconds        integer     NOT NULL DEFAULT 300,
    missing_variables          text        NOT NULL DEFAULT 'blank' CHECK (missing_variables IN ('blank', 'skip')),
    audience_ready             boolean     NOT NULL DEFAULT false,
    skipped                    jsonb       NOT NULL DEFAULT '{}'::jsonb,  -- reason -> count, incl. duplicates
    error                      text,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    started_at                 timestamptz,
    finished_at                timestamptz
);
CREATE INDEX campaigns_account_idx ON campaigns (account_id, id DESC);
CREATE INDEX campaigns_parent_idx ON campaigns (parent_id, id DESC) WHERE parent_id IS NOT NULL;
-- What the engine looks at every tick.
CREATE INDEX campaigns_live_idx ON campaigns (status) WHERE status IN ('scheduled', 'running');

CREATE SEQUENCE campaign_recipient_seq;

CREATE TABLE campaign_recipients (
    campaign_id   uuid        NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    seq           bigint      NOT NULL DEFAULT nextval('campaign_recipient_seq'),
    phone_number  text        NOT NULL,   -- E.164, or the raw text when invalid
    contact_id    uuid,
    data          jsonb,                  -- per-recipient variables (CSV columns, inline fields)
    timezone      text,
    operator      text,                   -- carrier of the number range, for per-operator stats
    variant       text,
    state         text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'queued', 'skipped', 'canceled')),
    reason        text,                   -- why skipped or canceled
    message_id    uuid,                   -- the latest message sent to this recipient
    attempts      integer     NOT NULL DEFAULT 0,
    not_before    timestamptz NOT NULL DEFAULT '-infinity',
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (campaign_id, seq),
    UNIQUE (campaign_id, phone_number)
);
-- The engine takes due pending recipients in order.
CREATE INDEX campaign_recipients_pending_idx ON campaign_recipients (campaign_id, not_before, seq)
    WHERE state = 'pending';

-- A campaign's messages (stats, exports), and the ones still in the engine's hands or failed
-- (pacing back-pressure, pause, stop, completion, retries).
CREATE INDEX messages_campaign_idx ON messages (campaign_id, id) WHERE campaign_id IS NOT NULL;
CREATE INDEX messages_campaign_open_idx ON messages (campaign_id, status)
    WHERE campaign_id IS NOT NULL AND status IN ('queued', 'sending', 'failed', 'undelivered');
