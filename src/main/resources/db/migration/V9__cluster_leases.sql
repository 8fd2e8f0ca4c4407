-- Cluster ownership (herald.platform.cluster.Ownership): which verticle instance of which node works
-- on what. Every owner heartbeats its row in cluster_owners; an owner holds a key (a sender's lane,
-- a campaign, a webhook endpoint) while its row in cluster_leases has not expired. Expiry times are
-- the database's clock, so the nodes' clocks do not matter.

CREATE TABLE cluster_owners (
    kind        text        NOT NULL,   -- what is owned: 'campaign', 'lane', 'webhook-endpoint', ...
    owner       text        NOT NULL,   -- '<node id>/<verticle group>-<instance>'
    expires_at  timestamptz NOT NULL,   -- the owner counts as live until then
    PRIMARY KEY (kind, owner)
);

CREATE TABLE cluster_leases (
    kind        text        NOT NULL,
    key         text        NOT NULL,
    owner       text        NOT NULL,
    expires_at  timestamptz NOT NULL,   -- after this any live owner of the kind may take it
    PRIMARY KEY (kind, key)
);

CREATE INDEX cluster_leases_owner ON cluster_leases (kind, owner);
