-- Media files: uploaded through POST /api/v1/media (and handed to the sender's provider, whose id
-- messages then reference) or received with inbound messages and downloaded from the provider.
-- The bytes live under <data_dir>/media/<id>; this row says whose they are.
CREATE TABLE media (
    id                 uuid PRIMARY KEY,
    account_id         uuid        NOT NULL REFERENCES accounts (id),
    sender_id          uuid        NOT NULL REFERENCES senders (id),
    direction          text        NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    mime_type          text        NOT NULL,
    size_bytes         bigint      NOT NULL,
    sha256             text        NOT NULL,
    file_name          text,
    provider_media_id  text,
    created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX media_account_idx ON media (account_id, id DESC);

-- The message templates of a WhatsApp sender's business account as last synced from the provider
-- (GET /{waba_id}/message_templates): what may be sent outside the customer-service window.
CREATE TABLE provider_templates (
    sender_id   uuid        NOT NULL REFERENCES senders (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    language    text        NOT NULL,
    status      text        NOT NULL,
    category    text,
    components  jsonb       NOT NULL DEFAULT '[]'::jsonb,
    synced_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sender_id, name, language)
);

-- A WhatsApp campaign's message: a template content object (type, template with components whose
-- text parameters are filled per recipient); null for SMS campaigns, which keep `message`.
ALTER TABLE campaigns ADD COLUMN content jsonb;
