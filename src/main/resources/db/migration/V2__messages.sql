-- The SMS pipeline: senders (paced provider accounts), messages and their parts, the transactional
-- outbox of events, idempotency keys and the per-account blacklist.

CREATE TABLE senders (
    id               uuid PRIMARY KEY,
    account_id       uuid        NOT NULL REFERENCES accounts (id),
    name             text        NOT NULL,
    channel          text        NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'voice')),
    provider         text        NOT NULL CHECK (provider IN ('smpp', 'twilio', 'android')),
    settings         jsonb       NOT NULL DEFAULT '{}'::jsonb,  -- shown to clients
    secrets          jsonb       NOT NULL DEFAULT '{}'::jsonb,  -- passwords, tokens: never shown
    rate_per_second  integer     NOT NULL CHECK (rate_per_second BETWEEN 1 AND 100000),
    is_default       boolean     NOT NULL DEFAULT false,
    is_active        boolean     NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX senders_account_idx ON senders (account_id, id);
CREATE UNIQUE INDEX senders_one_default ON senders (account_id, channel) WHERE is_default AND is_active;

CREATE TABLE messages (
    id                   uuid PRIMARY KEY,
    account_id           uuid        NOT NULL REFERENCES accounts (id),
    sender_id            uuid        REFERENCES senders (id),
    campaign_id          uuid,
    direction            text        NOT NULL DEFAULT 'outbound' CHECK (direction IN ('outbound', 'inbound')),
    channel              text        NOT NULL,
    to_number            text        NOT NULL,
    from_number          text,
    body                 text        NOT NULL,
    encoding             text        NOT NULL CHECK (encoding IN ('GSM-7', 'UCS-2')),
    segments             integer     NOT NULL,
    status               text        NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'delivered',
                                         'undelivered', 'failed', 'canceled', 'received')),
    scheduled_at         timestamptz,
    next_attempt_at      timestamptz NOT NULL DEFAULT now(),
    attempts             integer     NOT NULL DEFAULT 0,
    parts_delivered      integer     NOT NULL DEFAULT 0,
    provider_message_id  text,
    error_code           text,
    error_message        text,
    metadata             jsonb,
    callback_url         text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    sent_at              timestamptz,
    done_at              timestamptz
);
-- The engine claims queued work per sender in due order.
CREATE INDEX messages_queue_idx ON messages (sender_id, next_attempt_at, id) WHERE status = 'queued';
-- In-flight work, for crash recovery.
CREATE INDEX messages_sending_idx ON messages (updated_at) WHERE status = 'sending';
CREATE INDEX messages_account_idx ON messages (account_id, id DESC);
CREATE INDEX messages_account_to_idx ON messages (account_id, to_number, id DESC);

-- One row per provider-side part (SMPP concatenated parts each get an id); receipts find messages here.
CREATE TABLE message_parts (
    sender_id            uuid    NOT NULL,
    provider_message_id  text    NOT NULL,
    message_id           uuid    NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    part                 integer NOT NULL,
    PRIMARY KEY (sender_id, provider_message_id)
);
CREATE INDEX message_parts_message_idx ON message_parts (message_id);

-- Transactional outbox: written in the same transaction as the change that causes it. subject_id is
-- the message (or other resource) the event is about, so it doubles as the status history.
CREATE TABLE events (
    id          uuid PRIMARY KEY,
    account_id  uuid        NOT NULL,
    type        text        NOT NULL,
    subject_id  uuid,
    data        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_subject_idx ON events (subject_id, id);
CREATE INDEX events_account_idx ON events (account_id, id);

CREATE TABLE idempotency_keys (
    account_id    uuid        NOT NULL,
    key           text        NOT NULL,
    request_hash  bytea       NOT NULL,
    status        integer     NOT NULL,
    response      jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

CREATE TABLE blacklist (
    id            uuid PRIMARY KEY,
    account_id    uuid        NOT NULL REFERENCES accounts (id),
    phone_number  text        NOT NULL,
    reason        text,
    source        text        NOT NULL DEFAULT 'api',
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, phone_number)
);
