-- A consumer may take the events of every account (every_account) or only of the accounts it has
-- subscribed (event_consumer_accounts). The webhook consumer subscribes an account when it creates
-- the account's first endpoint, in that transaction, so accounts without endpoints write no queue
-- rows for it (as the V4 trigger spared them) while its queue still needs no trigger. A consumer
-- that wants everything (the Kafka relay) keeps every_account.
ALTER TABLE event_consumers ADD COLUMN every_account boolean NOT NULL DEFAULT true;

CREATE TABLE event_consumer_accounts (
    consumer    text NOT NULL REFERENCES event_consumers (name),
    account_id  uuid NOT NULL,
    PRIMARY KEY (consumer, account_id)
);

UPDATE event_consumers SET every_account = false WHERE name = 'webhooks';
INSERT INTO event_consumer_accounts (consumer, account_id)
  SELECT DISTINCT 'webhooks', account_id FROM webhook_endpoints;
