-- Accounts: users, sessions, API tokens, second factor and lockout.
CREATE TABLE users (
  id               uuid PRIMARY KEY,
  username         text NOT NULL UNIQUE,
  display_name     text NOT NULL,
  agency_id        uuid NOT NULL REFERENCES agencies(id),
  role             text NOT NULL CHECK (role IN ('officer', 'reviewer', 'agency_head', 'agency_admin', 'supervisor', 'system_admin')),
  officer_id       uuid REFERENCES officers(id),
  password_hash    text NOT NULL,
  totp_secret      text,
  failed_logins    int NOT NULL DEFAULT 0,
  locked_until     timestamptz,
  disabled         boolean NOT NULL DEFAULT false,
  must_change_password boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id_hash        bytea PRIMARY KEY,           -- SHA-256 of the cookie value; the value itself is never stored
  user_id        uuid NOT NULL REFERENCES users(id),
  csrf_token     text NOT NULL,
  second_factor  boolean NOT NULL,            -- false while a login waits for its TOTP code
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id           uuid PRIMARY KEY,
  token_hash   bytea NOT NULL UNIQUE,
  name         text NOT NULL,
  agency_id    uuid NOT NULL REFERENCES agencies(id),
  scopes       text[] NOT NULL,
  created_by   uuid NOT NULL REFERENCES users(id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  last_used_at timestamptz
);
-- The TOTP secret is set when an administrator starts enrolment and confirmed by the first good code.
ALTER TABLE users ADD COLUMN totp_confirmed boolean NOT NULL DEFAULT false;
