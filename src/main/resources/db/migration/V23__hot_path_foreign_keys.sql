-- The hot path's foreign keys checked what Herald never does. Accounts and senders are deactivated,
-- never deleted, and messages are never deleted, yet every message insert looked up and key-share
-- locked its account row and its sender row (concurrent sends of one account then share that lock
-- through multixacts), and every recorded message part did the same to its message row. The rule
-- those keys protected is kept by refusing the deletes themselves, which costs nothing on the hot
-- path: a message's account and sender exist because they can never stop existing.
ALTER TABLE messages DROP CONSTRAINT messages_account_id_fkey;
ALTER TABLE messages DROP CONSTRAINT messages_sender_id_fkey;
ALTER TABLE message_parts DROP CONSTRAINT message_parts_message_id_fkey;

CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never deleted (deactivate them instead)', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER accounts_never_deleted BEFORE DELETE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER senders_never_deleted BEFORE DELETE ON senders
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER messages_never_deleted BEFORE DELETE ON messages
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER accounts_never_truncated BEFORE TRUNCATE ON accounts
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER senders_never_truncated BEFORE TRUNCATE ON senders
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();
CREATE TRIGGER messages_never_truncated BEFORE TRUNCATE ON messages
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_delete();
