-- The providers registered in herald.channel.registry.Channels: the SMS three, WhatsApp's Cloud API
-- and Asterisk ARI for voice. The registry validates a sender's provider and channel; this CHECK is
-- the database's own guard against a row no registered type can open.
ALTER TABLE senders DROP CONSTRAINT senders_provider_check;
ALTER TABLE senders ADD CONSTRAINT senders_provider_check
    CHECK (provider IN ('smpp', 'twilio', 'android', 'whatsapp_cloud', 'ari'));
