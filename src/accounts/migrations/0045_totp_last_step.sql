-- RFC 6238 §5.2: a TOTP code is accepted once. The time-step (Unix time / 30 s) of the last accepted
-- code; a code whose step is not after it is refused, in the same update that records the new one.
ALTER TABLE users ADD COLUMN totp_last_step bigint;
