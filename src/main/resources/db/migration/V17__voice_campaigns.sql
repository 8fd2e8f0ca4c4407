-- Voice campaigns (issue 14 item 8): a campaign attempt is a call with its campaign and recipient,
-- ended with its CDR by the same lane as every other call. A voice recipient is 'queued' while it
-- has a call (call_id, disposition NULL until that call ends and the engine settles it); a busy or
-- unanswered attempt with attempts left goes back to 'pending' until its retry delay has passed.
ALTER TABLE calls
    ADD COLUMN campaign_id   uuid REFERENCES campaigns (id) ON DELETE SET NULL,
    ADD COLUMN recipient_seq bigint;
CREATE INDEX calls_campaign_idx ON calls (campaign_id, recipient_seq, id)
    WHERE campaign_id IS NOT NULL;

ALTER TABLE cdrs
    ADD COLUMN campaign_id   uuid,
    ADD COLUMN recipient_seq bigint;
CREATE INDEX cdrs_campaign_idx ON cdrs (campaign_id, id) WHERE campaign_id IS NOT NULL;

ALTER TABLE campaign_recipients
    ADD COLUMN call_id     uuid,
    ADD COLUMN disposition text;
-- The engine's "calling" count and its settling of ended attempts.
CREATE INDEX campaign_recipients_calling_idx ON campaign_recipients (campaign_id, call_id)
    WHERE state = 'queued' AND call_id IS NOT NULL AND disposition IS NULL;
