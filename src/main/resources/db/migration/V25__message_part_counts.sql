-- A message's provider parts are counted once, by the sent record that writes them, into
-- messages.parts. Receipts compared parts_delivered with a count(*) of message_parts by message id,
-- which needed an index on message_parts (message_id) that every recorded part wrote an entry into
-- and nothing else read. Only messages still 'sent' can take a receipt, so only they need the count
-- now; a message sent before this migration and still waiting gets it from its part rows here.
ALTER TABLE messages ADD COLUMN parts integer;
UPDATE messages m SET parts = (SELECT count(*) FROM message_parts x WHERE x.message_id = m.id)
    WHERE m.status = 'sent';
DROP INDEX message_parts_message_idx;
