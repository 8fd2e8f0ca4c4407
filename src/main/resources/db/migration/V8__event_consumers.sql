-- Event consumers, each with its own durable queue. Every writer of events also writes one
-- event_queue row per registered consumer, in the same statement and so the same transaction (see
-- herald.platform.database.Outbox): a consumer takes its rows with SKIP LOCKED and deletes them in
-- the transaction that acts on them. A consumer registered later starts with the events written
-- after its row here commits; adding one is a row in event_consumers and touches no other consumer.
--
-- This replaces the statement trigger of V4, which queued events for webhooks only, and only for
-- accounts with an active endpoint. A queue row per consumer was chosen over a cursor over the
-- events table: a cursor over a sequence skips rows that commit after a later number, and the safe
-- rule for it (read only what transactions older than the snapshot's xmin wrote) holds every
-- consumer back for as long as any write transaction runs (a contact import holds one for
-- minutes).

CREATE TABLE event_consumers (
    name        text PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE event_queue (
    consumer  text NOT NULL,
    event_id  uuid NOT NULL,
    PRIMARY KEY (consumer, event_id)
);

INSERT INTO event_consumers (name) VALUES ('webhooks');

-- Events still waiting in the old queue keep their place.
INSERT INTO event_queue (consumer, event_id) SELECT 'webhooks', event_id FROM webhook_queue;

DROP TRIGGER events_webhook_enqueue ON events;
DROP FUNCTION webhook_enqueue();
DROP TABLE webhook_queue;
