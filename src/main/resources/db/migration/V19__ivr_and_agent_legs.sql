-- IVR menus and agent bridging (issue 14 items 3 and 4). An IVR is a set of menus kept as data per
-- account; a call placed with one carries a snapshot of it in its options, so editing or deleting
-- the IVR never changes a call already queued. Every menu visited and key pressed is kept on the
-- call (ivr_path) and copied to its CDR; the agent leg's outcome likewise.
CREATE TABLE ivrs (
    id          uuid PRIMARY KEY,
    account_id  uuid        NOT NULL REFERENCES accounts (id),
    name        text        NOT NULL,
    -- {start, menus: {id: {prompt, timeout_seconds, max_retries, retry_prompt, invalid_prompt,
    -- options: {key: action}, on_timeout}}}
    definition  jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ivrs_account_idx ON ivrs (account_id, id);

ALTER TABLE calls
    ADD COLUMN ivr_id            uuid,
    ADD COLUMN ivr_path          jsonb NOT NULL DEFAULT '[]',
    -- dialing, answered, no_answer, busy, failed, abandoned (the customer left first)
    ADD COLUMN agent_status      text,
    ADD COLUMN agent_answered_at timestamptz,
    ADD COLUMN agent_ended_at    timestamptz;

ALTER TABLE cdrs
    ADD COLUMN ivr_id             uuid,
    ADD COLUMN ivr_path           jsonb NOT NULL DEFAULT '[]',
    ADD COLUMN agent_status       text,
    ADD COLUMN agent_talk_seconds numeric(10, 3) NOT NULL DEFAULT 0;
