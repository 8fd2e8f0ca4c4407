-- Contacts, contact groups with exact member counts, and message templates.
-- (V4 belongs to the webhooks work; Flyway accepts the gap.)

CREATE TABLE contacts (
    id             uuid PRIMARY KEY,
    account_id     uuid        NOT NULL REFERENCES accounts (id),
    phone_number   text        NOT NULL,            -- E.164
    name           text,
    first_name     text,
    last_name      text,
    email          text,
    status         text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    timezone       text,
    language       text,
    custom_fields  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, phone_number)
);
CREATE INDEX contacts_account_id ON contacts (account_id, id);

CREATE TABLE contact_groups (
    id            uuid PRIMARY KEY,
    account_id    uuid        NOT NULL REFERENCES accounts (id),
    name          text        NOT NULL,
    description   text,
    member_count  integer     NOT NULL DEFAULT 0,   -- kept by the triggers below
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, name)
);

CREATE TABLE contact_group_members (
    group_id    uuid        NOT NULL REFERENCES contact_groups (id) ON DELETE CASCADE,
    contact_id  uuid        NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, contact_id)
);
CREATE INDEX contact_group_members_contact ON contact_group_members (contact_id);

-- Member counts follow every insert and delete of memberships, including the cascades of
-- deleting a contact, in the same transaction: one UPDATE per group per statement.
CREATE FUNCTION contact_group_members_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE contact_groups g SET member_count = g.member_count + n.count
      FROM (SELECT group_id, count(*) AS count FROM added GROUP BY group_id) n
     WHERE g.id = n.group_id;
    RETURN NULL;
END $$;

CREATE FUNCTION contact_group_members_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE contact_groups g SET member_count = g.member_count - n.count
      FROM (SELECT group_id, count(*) AS count FROM removed GROUP BY group_id) n
     WHERE g.id = n.group_id;
    RETURN NULL;
END $$;

CREATE TRIGGER contact_group_members_count_added AFTER INSERT ON contact_group_members
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION contact_group_members_added();
CREATE TRIGGER contact_group_members_count_removed AFTER DELETE ON contact_group_members
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION contact_group_members_removed();

CREATE TABLE templates (
    id           uuid PRIMARY KEY,
    account_id   uuid        NOT NULL REFERENCES accounts (id),
    name         text        NOT NULL,
    channel      text        NOT NULL CHECK (channel IN ('sms', 'whatsapp', 'voice')),
    content      text        NOT NULL,
    category     text        NOT NULL CHECK (category IN ('marketing', 'notifications', 'alerts',
                                 'reminders', 'confirmations', 'promotions', 'other')),
    is_public    boolean     NOT NULL DEFAULT false,
    usage_count  bigint      NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (account_id, name)
);
