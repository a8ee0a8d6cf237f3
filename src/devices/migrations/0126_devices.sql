-- The device register (R-R10: equipment, configuration, use, storage, supervision): body cameras,
-- recorders, cameras and the interview and hearing rooms' fixed recording, per agency. An AV record
-- names its device by serial; a device is never deleted (its records must stay traceable), only retired.
CREATE TABLE devices (
  id             uuid PRIMARY KEY,
  agency_id      uuid NOT NULL REFERENCES agencies(id),
  kind           text NOT NULL CHECK (kind IN ('body_camera', 'recorder', 'camera', 'mobile_terminal', 'interview_room', 'hearing_room')),
  serial         text NOT NULL,
  name           text NOT NULL,
  configuration  text NOT NULL DEFAULT '',
  custodian      text NOT NULL,
  status         text NOT NULL CHECK (status IN ('in_service', 'under_repair', 'retired')),
  created_by     uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, serial)
);
CREATE INDEX devices_serial ON devices (serial);
CREATE TRIGGER devices_no_delete BEFORE DELETE ON devices FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- R-R05: named custodians per agency for AV and text records, ledgers (台账) and documents. A change is
-- a new row; the latest per (agency, kind) is the custodian in charge.
CREATE TABLE custodians (
  id          bigserial PRIMARY KEY,
  agency_id   uuid NOT NULL REFERENCES agencies(id),
  kind        text NOT NULL CHECK (kind IN ('records', 'ledgers', 'documents')),
  name        text NOT NULL,
  phone       text NOT NULL DEFAULT '',
  storage     text NOT NULL DEFAULT '',
  since       date NOT NULL,
  created_by  uuid,
  event_id    bigint NOT NULL REFERENCES events(id),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX custodians_agency ON custodians (agency_id, kind, id DESC);
CREATE TRIGGER custodians_append_only BEFORE UPDATE OR DELETE ON custodians FOR EACH ROW EXECUTE FUNCTION refuse_change();
