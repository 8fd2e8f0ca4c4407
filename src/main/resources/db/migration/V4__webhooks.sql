-- Signed webhooks: endpoints, the queue of events still to fan out, one delivery row per endpoint and
-- event with its persisted schedule, and every attempt made.

-- A time-ordered UUID (version 7 layout) made in SQL, for rows the database creates in bulk.
CREATE FUNCTION webhook_uuid7() RETURNS uuid AS $$
  SELECT encode(
           set_bit(set_bit(
             overlay(uuid_send(gen_random_uuid())
                     PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                     FROM 1 FOR 6),
             52, 1), 53, 1),
           'hex')::uuid
$$ LANGUAGE sql VOLATILE;

CREATE TABLE webhook_endpoints (
    id                     uuid PRIMARY KEY,
    account_id             uuid        NOT NULL REFERENCES accounts (id),
    sender_id              uuid        REFERENCES senders (id),   -- only events about this sender
    name                   text        NOT NULL,
    url                    text        NOT NULL,
    events                 text[]      NOT NULL,                  -- exact types, 'message.*' or '*'
    secret                 text        NOT NULL,                  -- whsec_<base64>; needed to sign
    previous_secret        text,                                  -- still signs until it expires
    previous_secret_until  timestamptz,
    retry_limit            integer     NOT NULL CHECK (retry_limit BETWEEN 0 AND 50),
    timeout_seconds        integer     NOT NULL CHECK (timeout_seconds BETWEEN 1 AND 60),
    rate_limit_per_second  integer     CHECK (rate_limit_per_second BETWEEN 1 AND 100000),
    ordered                boolean     NOT NULL DEFAULT false,
    is_active              boolean     NOT NULL DEFAULT true,
    disabled_reason        text,
    failing_since          timestamptz,                           -- first failure of the current streak
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_account_idx ON webhook_endpoints (account_id, id);
CREATE INDEX webhook_endpoints_active_idx ON webhook_endpoints (account_id) WHERE is_active;

-- Events still to fan out. Filled by a statement trigger on events, so every writer of events (the
-- message stores, the outbox) feeds it in its own transaction, and claimed with SKIP LOCKED: a
-- crash between claim and fan-out rolls the claim back. Only accounts with an active endpoint queue.
CREATE TABLE webhook_queue (
    event_id  uuid PRIMARY KEY
);

CREATE FUNCTION webhook_enqueue() RETURNS trigger AS $$
BEGIN
  INSERT INTO webhook_queue (event_id)
  SELECT n.id FROM new_events n
  WHERE EXISTS (SELECT 1 FROM webhook_endpoints w WHERE w.account_id = n.account_id AND w.is_active);
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER events_webhook_enqueue AFTER INSERT ON events
  REFERENCING NEW TABLE AS new_events
  FOR EACH STATEMENT EXECUTE FUNCTION webhook_enqueue();

-- One row per (endpoint, event); its id is the webhook-id every attempt carries. A claimed row has
-- next_attempt_at pushed past the request timeout (a lease): if the process dies mid-flight the row
-- is simply due again after restart.
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY,
    endpoint_id      uuid        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    account_id       uuid        NOT NULL,
    event_id         uuid        NOT NULL,
    event_type       text        NOT NULL,
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    retries_left     integer     NOT NULL,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_attempt_at  timestamptz,
    response_status  integer,
    latency_ms       integer,
    response_body    text,                                         -- first 1 KB
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    done_at          timestamptz,
    UNIQUE (endpoint_id, event_id)
);
-- Due work per endpoint, in due order and (for ordered endpoints) in event order.
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (endpoint_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_head_idx ON webhook_deliveries (endpoint_id, event_id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id DESC);

CREATE TABLE webhook_attempts (
    delivery_id      uuid        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt          integer     NOT NULL,
    attempted_at     timestamptz NOT NULL,
    response_status  integer,
    latency_ms       integer     NOT NULL,
    response_body    text,
    error            text,
    PRIMARY KEY (delivery_id, attempt)
);
