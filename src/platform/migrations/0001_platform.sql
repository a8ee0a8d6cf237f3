-- Platform: immutability guard, events, outbox, audit log, accounts and sessions.

-- Tables that the law says must never change call this from BEFORE UPDATE/DELETE/TRUNCATE triggers (R-R05).
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '表 % 只允许追加，拒绝 %', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;

-- Every state change of every domain, in the same transaction as the change (append-only).
CREATE TABLE events (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL,
  agency_id     uuid,
  subject_type  text NOT NULL,
  subject_id    text NOT NULL,
  actor_id      uuid,
  data          jsonb NOT NULL,
  salt          bytea NOT NULL,
  commitment    bytea NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_subject ON events (subject_type, subject_id, id);
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Whatever must be pushed out after commit (publication, notifications, exchange feeds).
CREATE TABLE outbox (
  id            bigserial PRIMARY KEY,
  topic         text NOT NULL,
  payload       jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  delivered_at  timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE delivered_at IS NULL;

-- Security audit: logins, failures, denials, administrative changes (append-only).
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  action      text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  user_id     uuid,
  username    text,
  agency_id   uuid,
  ip          text,
  request_id  text,
  detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_agency ON audit_log (agency_id, at DESC);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE TABLE settings (
  key    text PRIMARY KEY,
  value  jsonb NOT NULL
);
