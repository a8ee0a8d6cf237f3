-- Push of publications to subscribing systems (issue 8, R-P17, R-I02): Standard Webhooks from the
-- outbox, one delivery row per (subscriber, outbox row) so that nothing is lost across a restart of
-- either side; retries with backoff; the delivery log is the table itself.
CREATE TABLE webhook_subscribers (
  id          uuid PRIMARY KEY,
  agency_id   uuid NOT NULL REFERENCES agencies(id),
  url         text NOT NULL,
  secret      text NOT NULL,                      -- whsec_… (Standard Webhooks), shown once at creation
  active      boolean NOT NULL DEFAULT true,
  created_by  uuid,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_deliveries (
  id             uuid PRIMARY KEY,
  subscriber_id  uuid NOT NULL REFERENCES webhook_subscribers(id),
  outbox_id      bigint NOT NULL REFERENCES outbox(id),
  msg_id         text NOT NULL UNIQUE,             -- webhook-id: the same on every retry (idempotent receivers)
  topic          text NOT NULL,
  publication_id uuid NOT NULL,
  status         text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts       integer NOT NULL DEFAULT 0,
  next_at        timestamptz NOT NULL DEFAULT now(),
  last_status    integer,
  last_error     text,
  delivered_at   timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (subscriber_id, outbox_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscriber ON webhook_deliveries (subscriber_id, created_at DESC);
