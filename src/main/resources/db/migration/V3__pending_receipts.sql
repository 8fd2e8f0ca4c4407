-- Delivery receipts that arrived before Herald recorded the message as sent (an SMSC can answer
-- faster than the engine commits). They are stored, acknowledged to the provider at once, and
-- applied in the transaction that records the matching parts.
CREATE TABLE pending_receipts (
    provider_message_id  text        NOT NULL,
    sender_id            uuid        NOT NULL,
    delivered            boolean     NOT NULL,
    status               text,
    error_code           text,
    received_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pending_receipts_pid_idx ON pending_receipts (provider_message_id);
CREATE INDEX pending_receipts_received_idx ON pending_receipts (received_at);
