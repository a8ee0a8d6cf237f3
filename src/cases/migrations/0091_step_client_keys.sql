-- Issue 14: a step form sent from a phone whose network dropped is sent again when the network is back;
-- the key the form was opened with makes the second send find the first step instead of doing it twice.
ALTER TABLE case_steps ADD COLUMN client_key text;
CREATE UNIQUE INDEX case_steps_client_key ON case_steps (case_id, client_key) WHERE client_key IS NOT NULL;
