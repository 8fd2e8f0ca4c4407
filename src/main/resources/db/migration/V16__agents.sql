-- Inbound routing and AI agents (issue 15): agents (OpenAI-compatible model endpoints), tiers with
-- quotas, inbound rules per account, durable agent tasks claimed by the agent workers, and the
-- error log of agent failures. Contacts gain a tier and request counters.

CREATE TABLE agents (
    id                  uuid PRIMARY KEY,
    account_id          uuid        NOT NULL REFERENCES accounts (id),
    name                text        NOT NULL,
    base_url            text        NOT NULL,
    model               text        NOT NULL,
    secrets             jsonb       NOT NULL DEFAULT '{}'::jsonb,   -- {api_key}; never rendered
    system_prompt       text,
    prompt_templates    jsonb       NOT NULL DEFAULT '{}'::jsonb,   -- category -> template
    category_keywords   jsonb       NOT NULL DEFAULT '{}'::jsonb,   -- category -> [keyword]
    temperature         double precision NOT NULL DEFAULT 0.7,
    max_tokens          integer     NOT NULL DEFAULT 300,
    history_turns       integer     NOT NULL DEFAULT 5,
    max_segments        integer     NOT NULL DEFAULT 3,
    timeout_ms          integer     NOT NULL DEFAULT 30000,
    fallback_reply      text        NOT NULL,
    default_tier        text,
    unknown_tier_reply  text        NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, name)
);

CREATE TABLE tiers (
    id                       uuid PRIMARY KEY,
    account_id               uuid        NOT NULL REFERENCES accounts (id),
    name                     text        NOT NULL,
    requests_per_hour        integer,
    requests_per_day         integer,
    requests_per_month       integer,
    max_reply_chars          integer,
    allowed_categories       text[],
    priority                 integer     NOT NULL DEFAULT 0,
    over_quota_message       text        NOT NULL,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, name)
);

ALTER TABLE contacts ADD COLUMN tier text;
ALTER TABLE contacts ADD COLUMN total_requests bigint NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN last_request_at timestamptz;

CREATE TABLE inbound_rules (
    id               uuid PRIMARY KEY,
    account_id       uuid        NOT NULL REFERENCES accounts (id),
    name             text        NOT NULL,
    position         integer     NOT NULL,
    enabled          boolean     NOT NULL DEFAULT true,
    match_sender_id  uuid        REFERENCES senders (id) ON DELETE CASCADE,
    match_number     text,
    match_keyword    text,
    match_regex      text,
    match_group_id   uuid        REFERENCES contact_groups (id) ON DELETE CASCADE,
    match_tier       text,
    action           text        NOT NULL CHECK (action IN ('reply', 'template', 'agent', 'webhook')),
    reply_text       text,
    template_id      uuid        REFERENCES templates (id) ON DELETE RESTRICT,
    agent_id         uuid        REFERENCES agents (id) ON DELETE RESTRICT,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, name)
);
CREATE INDEX inbound_rules_order ON inbound_rules (account_id, position, id);

-- One row per message handed to an agent (or run by hand). status: pending -> running -> done or
-- failed; rejected for a message answered without the model (over quota, unknown tier). A running
-- task whose lease ran out (its worker died) is claimed again, at most max_attempts in all.
CREATE TABLE agent_tasks (
    id                  uuid PRIMARY KEY,
    account_id          uuid        NOT NULL REFERENCES accounts (id),
    agent_id            uuid        NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    rule_id             uuid        REFERENCES inbound_rules (id) ON DELETE SET NULL,
    inbound_message_id  uuid        UNIQUE,
    sender_id           uuid        REFERENCES senders (id),
    channel             text        NOT NULL,
    phone_number        text        NOT NULL,   -- the end user's address, as received
    our_number          text,
    content             text        NOT NULL,
    category            text        NOT NULL,
    tier                text,
    priority            integer     NOT NULL DEFAULT 0,
    max_reply_chars     integer,
    status              text        NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed', 'rejected')),
    attempts            integer     NOT NULL DEFAULT 0,
    claim_token         uuid,
    lease_until         timestamptz,
    prompt              jsonb,
    reply               text,
    reply_message_id    uuid,
    success             boolean,
    error_type          text,
    error_message       text,
    model               text,
    prompt_tokens       integer,
    completion_tokens   integer,
    tokens_used         integer,
    processing_ms       integer,
    created_at          timestamptz NOT NULL DEFAULT now(),
    completed_at        timestamptz
);
CREATE INDEX agent_tasks_claim ON agent_tasks (priority DESC, created_at)
    WHERE status IN ('pending', 'running');
CREATE INDEX agent_tasks_account ON agent_tasks (account_id, id DESC);
CREATE INDEX agent_tasks_phone ON agent_tasks (account_id, phone_number, created_at DESC);

CREATE TABLE agent_errors (
    id                uuid PRIMARY KEY,
    account_id        uuid        NOT NULL REFERENCES accounts (id),
    agent_id          uuid        REFERENCES agents (id) ON DELETE CASCADE,
    task_id           uuid        REFERENCES agent_tasks (id) ON DELETE CASCADE,
    phone_number      text,
    error_type        text        NOT NULL,
    error_message     text        NOT NULL,
    metadata          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    resolved          boolean     NOT NULL DEFAULT false,
    resolution_notes  text,
    resolved_at       timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_errors_account ON agent_errors (account_id, id DESC);
