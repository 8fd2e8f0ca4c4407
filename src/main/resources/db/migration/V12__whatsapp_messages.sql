-- The WhatsApp channel's messages: typed content beside the text body, no SMS encoding, the `read`
-- status Meta reports after `delivered`, what a status webhook said about pricing and the
-- conversation, and the customer-service window (the last inbound message per sender and contact).

-- What a WhatsApp message is (type and payload, as the Cloud API's message object); null for SMS.
ALTER TABLE messages ADD COLUMN content jsonb;
-- Pricing category, billable flag and conversation from the provider's status webhooks.
ALTER TABLE messages ADD COLUMN pricing jsonb;
-- SMS messages keep GSM-7 / UCS-2; channels without an SMS encoding store none.
ALTER TABLE messages ALTER COLUMN encoding DROP NOT NULL;
ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check
    CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed',
                      'canceled', 'received'));

-- The last inbound message per sender and contact: free-form WhatsApp messages may be sent only
-- within 24 hours of it. Written in the transaction that stores the inbound message.
CREATE TABLE service_windows (
    sender_id        uuid        NOT NULL REFERENCES senders (id) ON DELETE CASCADE,
    contact          text        NOT NULL,
    last_inbound_at  timestamptz NOT NULL,
    PRIMARY KEY (sender_id, contact)
);

-- A provider's id of an inbound message is stored once per sender: a redelivered webhook (Meta
-- delivers at least once) finds it and is dropped.
CREATE UNIQUE INDEX messages_inbound_provider_idx ON messages (sender_id, provider_message_id)
    WHERE direction = 'inbound' AND provider_message_id IS NOT NULL;
