-- Event bodies are stored as json text instead of jsonb. Nothing queries inside them but the webhook
-- fan-out's sender filter (data->>'sender_id', which json has too); they are written once per state
-- change on the hot path and read back whole. Built with to_json of a row (herald.message.
-- MessageStore), a message event costs about 4 µs where jsonb_build_object cost 10, and json is
-- stored as built where jsonb would be parsed into its binary form. The cost: json bodies are about
-- a quarter larger than jsonb ones (the keys and quotes are kept), and this rewrites the table once.
ALTER TABLE events ALTER COLUMN data TYPE json USING data::json;
